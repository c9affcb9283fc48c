# Root module: the app, its security posture and who uses it.
module clinic.core
use clinic.records
use clinic.ui

app clinic "Riverside Clinics":
  description: "Appointments, visit notes and billing for a group of clinics"
  security_profile: standard
  multi_tenant: true
  audit_trail: true

tenancy:
  mode: shared_schema
  partition_key: practice

persona admin "Practice Administrator":
  description: "Runs a practice: staff, schedules and billing"
  proficiency: expert

persona clinician "Clinician":
  description: "Sees patients and writes visit notes"
  goals: "Finish notes before the end of the day", "Never miss a follow-up"
  proficiency: intermediate

persona receptionist "Receptionist":
  description: "Books appointments and checks patients in"
  proficiency: novice

persona patient "Patient":
  description: "Books visits and reads their own records"
  proficiency: novice

policies:
  classify Patient.date_of_birth as pii_sensitive retention: long
  classify Invoice.amount as financial_txn
  erasure Patient: anonymize
