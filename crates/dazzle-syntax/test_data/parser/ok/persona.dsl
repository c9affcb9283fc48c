module clinic.people

persona clinician "Clinician":
  description: "Sees patients and writes notes"
  goals: "Finish notes fast", "Never miss a follow-up"
  proficiency: expert
  default_workspace: clinic_desk
  role: staff
  uses nav clinic_nav

persona admin:
  description: "Runs the clinic"
