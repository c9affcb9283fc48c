module all.constructs

archetype Timestamped:
  created_at: datetime auto_add

experience onboarding "Onboarding":
  start at step welcome
  step welcome:
    kind: surface
    surface welcome_page
service tax_api "Tax API":
  spec: url "https://example.invalid/openapi.json"
  auth_profile: api_key_header key="X-Key"
foreign_model TaxRate from tax_api "Tax rate":
  key: code
  constraint batch_import
  code: str(10) required
integration tax_sync "Tax sync":
  uses service tax_api
scenario busy_day "Busy day":
  description: "Many orders"
story ST-001 "Customer places an order":
  persona: customer
  trigger: form_submitted
rhythm weekly "Weekly review":
  persona: manager
llm_model fast "Fast model":
  provider: anthropic
  model_id: claude-haiku
llm_config:
  default_model: fast
llm_intent classify_ticket "Classify":
  model: fast
process fulfil "Fulfil order":
  "Ships paid orders"
  timeout: 7d
  steps:
    - step pack:
        service: packer
        timeout: 30s
schedule nightly "Nightly":
  cron: "0 2 * * *"
nav main_nav:
  group "Work":
    Orders
sla first_reply "First reply":
  entity: Ticket
island chart "Chart":
  src: "/static/chart.js"
audit on Order:
  track: status, total
search on Product:
  fields: name, description
param billing.invoice.due_days "Days until due":
  type: int
  default: 30
feedback_widget: enabled
  position: bottom-right
guide first_run "First run":
  audience: new_users
subprocessor stripe "Stripe":
  handler: "Stripe Inc."
analytics:
  consent: required
view order_totals "Order totals":
  source: Order
