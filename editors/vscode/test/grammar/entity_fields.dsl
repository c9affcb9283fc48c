module shop.core

# Keyword-looking words as declared names: the declaration rules win.
entity Task "Task":
# <- keyword.declaration.dazzle storage.type.dazzle
#      ^^^^ entity.name.type.dazzle !keyword.other
  id: uuid pk
# ^^ variable.other.field.dazzle
#     ^^^^ storage.type.dazzle
#          ^^ storage.modifier.dazzle
  title: str(200) required searchable
  status: enum[todo, doing, done] = todo
# ^^^^^^ variable.other.field.dazzle !keyword !support
#              ^^^^ constant.other.enum-member.dazzle
#                                 ^ keyword.operator.assignment.dazzle
  type: enum[bug, feature]
# ^^^^ variable.other.field.dazzle
  priority: int = 3
  source: str(50) optional
  role: str(30)
# ^^^^ variable.other.field.dazzle !support.function
  count: int = 0
  list: str(40)
# ^^^^ variable.other.field.dazzle !support.constant.operation
  read: bool = false
# ^^^^ variable.other.field.dazzle
  email: email unique pii(category=contact)
# ^^^^^ variable.other.field.dazzle
#        ^^^^^ storage.type.dazzle
#              ^^^^^^ storage.modifier.dazzle
#                     ^^^ storage.modifier.pii.dazzle
#                         ^^^^^^^^ variable.parameter.dazzle
#                                  ^^^^^^^ constant.other.dazzle
  phone: str(20) pii(category=contact, sensitivity=high)
  notes: text pii
  budget: decimal(10,2) = 0.00
  price: money(EUR)
  attachment: file(200MB, ui: drag_drop) storage=s3|local
  website: url
  tz: timezone = "Europe/London"
  handle: slug unique?
  meta: json
  due_on: date = today + 7d
  closed_at: datetime
  assignee: ref User required
#           ^^^ storage.type.dazzle
#               ^^^^ entity.name.type.dazzle
  project: ref Project
  subject: poly_ref [Order, Refund]
#                    ^^^^^ entity.name.type.dazzle
#                           ^^^^^^ entity.name.type.dazzle
  comments: has_many Comment via task cascade readonly
  checklist: has_one Checklist restrict
  address: embeds Address
  latest_note: latest_one Note via task
  children: descendants_of self via parent
  age_days: computed days_since(created_at)
# ^^^^^^^^ variable.other.field.dazzle
#           ^^^^^^^^ keyword.other.computed.dazzle
  label: str(80) was: caption
#                ^^^ keyword.other.dazzle
#                     ^^^^^^^ variable.other.field.dazzle
  soft_delete
# ^^^^^^^^^^^ storage.modifier.dazzle
  unique project, title
# ^^^^^^ storage.modifier.dazzle
  index status, due_on
  intent: "Work items tracked by the team"
  domain: operations
  display_field: title
  extends: Timestamped
  invariant: due_on >= created_at or status = todo
    message: "Due date before creation"
    code: due_before_created
  transitions:
    todo -> doing: role(member)
#   ^^^^ constant.other.state.dazzle
#        ^^ keyword.operator.arrow.dazzle
    doing -> done "Finish" confirm "Really finish?" requires closed_at
    * -> todo: role(admin) or role(owner)
    done -> todo:
      guard: closed_at is not null
      auto after 14 days or manual
