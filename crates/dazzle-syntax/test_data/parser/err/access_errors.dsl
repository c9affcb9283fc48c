module errs.access

entity Doc "Doc":
  id: uuid pk
  permit:
    write: role(admin)
    read: role(admin, editor)
    update: owner == current_user
    remove: role(admin)
    list:
  forbid:
    delete: false
  scope:
    read: owner = current_user
      for: editor
    update: owner = current_user
    list: not owner = current_user
      as: viewer
  audit: sometimes
  audit: [create, publish]
  audit: [read
  audit: [create,, update]
