# Clinical and billing records with their access rules.
module clinic.records

entity Practice "Practice":
  intent: "One clinic of the group; the tenant root"
  id: uuid pk
  name: str(120) required
  city: str(80)

  permit:
    list: role(admin)
    read: authenticated
    create: role(admin)
    update: role(admin)
    delete: false

  scope:
    list: all
      as: admin
    read: all
      as: *

entity Patient "Patient":
  intent: "A person registered with a practice"
  display_field: full_name
  id: uuid pk
  practice: ref Practice required
  full_name: str(200) required pii(category=identity)
  email: email pii(category=contact)
  phone: str(40) pii(category=contact)
  date_of_birth: date pii(category=identity, sensitivity=high)
  notes: text sensitive
  created_at: datetime auto_add

  permit:
    list: role(admin) or role(clinician) or role(receptionist)
    read: role(admin) or role(clinician) or role(receptionist) or role(patient)
    create: role(receptionist) or role(admin)
    update: role(receptionist) or role(admin)
    delete: role(admin)

  scope:
    list: practice = current_user.practice
      as: admin, clinician, receptionist
    read: practice = current_user.practice
      as: admin, clinician, receptionist
    read: email = current_user.email
      as: patient
    create: all
      as: receptionist, admin
    update: practice = current_user.practice
      as: receptionist, admin
    delete: practice = current_user.practice
      as: admin

  audit: all

entity Visit "Visit":
  intent: "One appointment, from booking to signed-off notes"
  id: uuid pk
  patient: ref Patient required
  clinician: ref Staff required
  starts_at: datetime required
  status: enum[booked, checked_in, in_progress, signed_off, cancelled] = booked
  summary: text
  diagnosis: text pii(category=health, sensitivity=special_category)

  transitions:
    booked -> checked_in: role(receptionist)
    checked_in -> in_progress: role(clinician)
    in_progress -> signed_off: requires summary
    booked -> cancelled

  permit:
    list: role(clinician) or role(receptionist)
    read: role(clinician) or role(receptionist)
    create: role(receptionist)
    update: role(clinician)
    delete: role(admin)

  scope:
    list: clinician = current_user
      as: clinician
    read: clinician = current_user
      as: clinician
    list: all
      as: receptionist
    read: all
      as: receptionist
    update: clinician = current_user and status != signed_off
      as: clinician

  audit: [create, update, delete]

entity Staff "Staff member":
  id: uuid pk
  practice: ref Practice required
  name: str(200) required
  email: email required
  role_title: enum[doctor, nurse, reception, manager]

  permit:
    list: authenticated
    read: authenticated
    create: role(admin)
    update: role(admin)
    delete: role(admin)

entity Invoice "Invoice":
  id: uuid pk
  visit: ref Visit required
  amount: money(GBP) required
  paid: bool = false
  issued_on: date = today

  permit:
    list: role(admin)
    read: role(admin) or role(patient)
    create: role(admin)
    update: role(admin)
    delete: false

  scope:
    list: all
      as: admin
    read: all
      as: admin
    read: visit.patient.email = current_user.email
      as: patient
    create: all
      as: admin
    update: paid = false
      as: admin
