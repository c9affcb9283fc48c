entity Invoice "Invoice":
  id: uuid pk
  owner: ref User
  school: ref School
  status: enum[draft, sent, paid]
  amount: decimal(12,2) required

  permit:
# ^^^^^^ keyword.control.access.dazzle
    list: role(accountant) or role(admin)
#   ^^^^ support.constant.operation.dazzle
#         ^^^^ support.function.role.dazzle
#              ^^^^^^^^^^ entity.name.tag.persona.dazzle
#                          ^^ keyword.operator.logical.dazzle
    read: authenticated
#         ^^^^^^^^^^^^^ constant.language.auth.dazzle
    create: role(accountant) and not (role(viewer))
#                            ^^^ keyword.operator.logical.dazzle
#                                ^^^ keyword.operator.logical.dazzle
    update: has_grant("approve_invoice", school)
#           ^^^^^^^^^ support.function.grant.dazzle
#                                        ^^^^^^ !entity.name.tag.persona
    delete: false

  forbid:
    delete: status = paid
    update: role(intern) and status in [sent, paid]

  scope:
# ^^^^^ keyword.control.access.dazzle
    list: school = current_user.school
#                  ^^^^^^^^^^^^ variable.language.current-user.dazzle
#                              ^^^^^^^ variable.other.property.dazzle
      as: accountant, admin
#     ^^ keyword.other.as.dazzle
#         ^^^^^^^^^^ entity.name.tag.persona.dazzle
    read: all
#         ^^^ constant.language.all.dazzle
      as: *
    update: via Membership(school = school, user = current_user)
#           ^^^ keyword.other.via.dazzle
#               ^^^^^^^^^^ entity.name.type.dazzle
      as: accountant
    delete: not via Membership(school = school, user = current_user.id)
      as: admin
    create: owner = current_user and (status = draft or status is null)
      as: accountant

  access:
    read: owner = current_user
    write: role(admin)

  visible:
    when anonymous: status = paid
    when authenticated: owner = current_user
#        ^^^^^^^^^^^^^ constant.language.auth.dazzle

  permissions:
    create: authenticated
    delete: role(admin)

  audit: all
# ^^^^^ keyword.control.access.dazzle
#        ^^^ constant.language.all.dazzle

entity Receipt "Receipt":
  id: uuid pk
  invoice: ref Invoice
  email: email required
  audit: [create, update, delete]
#         ^^^^^^ support.constant.operation.dazzle
  permit:
    read: role(accountant)
    list: email = current_user.email
#   ^^^^ support.constant.operation.dazzle
#         ^^^^^ !storage.type
      as: accountant
  scope:
    read: invoice.school = current_user.school and created_at >= today - 30d
#                                                                        ^^^ constant.numeric.duration.dazzle
      as: accountant
