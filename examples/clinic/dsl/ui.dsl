# What each persona sees.
module clinic.ui
use clinic.records

surface patient_list "Patients":
  uses entity Patient
  mode: list
  access: persona(admin, clinician, receptionist)
  section main "Patients":
    field full_name "Name"
    field date_of_birth "Date of birth"
    field phone "Phone"

surface visit_detail "Visit":
  uses entity Visit
  mode: view
  access: persona(clinician, receptionist)
  section summary "Summary":
    field starts_at "When"
    field status "Status"
    field summary "Notes"

workspace front_desk "Front desk":
  purpose: "Today's arrivals and bookings"
  access: persona(receptionist)
  arrivals:
    source: Visit
    filter: status = booked
    display: list
    limit: 20

workspace clinic_day "My day":
  purpose: "A clinician's visits for today"
  access: persona(clinician)
  my_visits:
    source: Visit
    filter: status != cancelled
    display: list
