module clinic.records

entity Visit "Visit":
  id: uuid pk
  patient: ref Patient required
  clinician: ref Staff
  notes: text sensitive
  permit:
    list: role(clinician) or role(admin)
    read: role(clinician) or role(admin)
    create: authenticated
    update: role(clinician) and has_grant("covering", clinic)
    delete: false
  forbid:
    delete: role(intern)
    update: status = archived
  scope:
    list: clinician = current_user
      as: clinician
    read: via CareTeam(visit = id, member = current_user)
      as: clinician, nurse
    update: not via Lock(visit = id, holder != current_user)
      as: clinician
    list: all
      as: *
  audit: [create, read, update]

entity Legacy "Legacy":
  id: uuid pk
  access:
    read: authenticated
    write: role(admin)
  visible:
    when anonymous: is_public = true
    when authenticated: true
  permissions:
    create: authenticated
    delete: role(admin)
  audit: all
  audit: []
  audit: [ ]
  audit: [create update delete]
  audit: false
