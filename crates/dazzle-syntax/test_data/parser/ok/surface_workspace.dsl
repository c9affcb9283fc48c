module crm.ui

surface contact_list "Contacts":
  uses entity Contact
  mode: list
  access: persona(sales, admin)
  section main "Main":
    field name "Name"
    field email "Email" width: 34%
  action export "Export":
    on click -> surface contact_export
  as sales:
    scope: owner = current_user

surface contact_public:
  uses entity Contact
  mode: view
  access: authenticated

workspace sales_desk "Sales Desk":
  purpose: "Daily pipeline"
  access: persona(sales)
  uses nav crm_nav
  pipeline:
    source: Deal
    filter: stage != lost
    display: kanban
  recent:
    source: Contact
    limit: 10
