# 0.112 dialect: enum declarations, publish lines, removed display modes.
module helpdesk.ui

enum Severity "Severity":
# <- keyword.declaration.dazzle
#    ^^^^^^^^ entity.name.type.dazzle
  low "Low"
# ^^^ constant.other.enum-member.dazzle
  medium "Medium"
  high "High"

entity Ticket "Ticket":
  id: uuid pk
  title: str(120) required
  severity: ref Severity
  status: enum[open, pending, closed] = open
  publish ticket_closed when status changed
# ^^^^^^^ keyword.other.publish.dazzle
#         ^^^^^^^^^^^^^ entity.name.function.event.dazzle

surface ticket_list "Tickets":
# <- keyword.declaration.dazzle
#       ^^^^^^^^^^^ entity.name.function.dazzle
  uses entity Ticket
# ^^^^ keyword.other.dazzle
#      ^^^^^^ keyword.other.dazzle
#             ^^^^^^ entity.name.type.dazzle
  mode: list
  section main "Main":
# ^^^^^^^ keyword.other.block.dazzle
#         ^^^^ entity.name.section.dazzle
    field title "Title"
#   ^^^^^ keyword.other.field.dazzle
#         ^^^^^ variable.other.field.dazzle
    field status "Status" width: 20% visible: role(agent)
#                         ^^^^^ support.type.property-name.dazzle
#                                    ^^^^^^^ support.type.property-name.dazzle
  action close "Close":
    on click -> surface ticket_detail
#                       ^^^^^^^^^^^^^ entity.name.function.dazzle
  ux:
    purpose: "Triage incoming tickets"
    sort: created_at desc
    attention critical:
      when: severity = high and status = open
      message: "High severity ticket waiting"

# `status` is a soft keyword: as a workspace name the declaration wins.
workspace status "Status board":
# <- keyword.declaration.dazzle
#         ^^^^^^ entity.name.function.dazzle
  purpose: "Everything at a glance"
  access: persona(agent, lead)
#         ^^^^^^^ support.function.role.dazzle
  uses nav main_nav
  queue:
    source: Ticket
    filter: status = open
    display: tree
#            ^^^^ support.constant.display-mode.dazzle
    limit: 25
  heat:
    source: Ticket
    display: heatmap
    show_aggregate: true
  burn:
    source: Ticket
    display: progress
  faq:
    source: Ticket
    display: accordion
  board:
    source: Ticket
    display: kanban
    group_by: status
    date_range

stream ticket_events:
# <- keyword.declaration.dazzle
  kind: FACT

channel notify_agents "Agent notifications":
  kind: email
# ^^^^ support.type.property-name.dazzle !variable.other.field
#       ^^^^^ !storage.type
  send ticket_assigned:
    to -> assignee.email

job nightly_cleanup:
  schedule: cron("0 3 * * *")
  timeout: 5m
