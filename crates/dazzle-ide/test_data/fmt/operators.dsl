# Comparison and boolean operators in conditions get one space each side; `=` that binds a
# value (defaults, `widget=`, `pii(category=…)`) stays as written.
module shop.core

persona admin "Admin":
  description: "a"

entity Order "Order":
  id: uuid pk
  owner: ref User
  paid: bool=false
  email: email pii(category=contact)
  status: enum[draft,paid] = draft
  transitions:
    draft->paid: role(admin)
  permit:
    read: role(admin)   or   role(clerk)
    update: role(admin) and not (role(clerk))
  forbid:
    delete: status=paid
  scope:
    read: owner=current_user
      as: admin
    list: via Membership(user=current_user,order=id)
      as: admin

surface order_edit "Edit":
  uses entity Order
  mode: edit
  section main:
    field paid "Paid" widget=switch
