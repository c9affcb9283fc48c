#- dialect: 0.112
module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"

# Negative (0.112): allowed calls in 0.112 constructs — webhooks, jobs, atomic flows, views.
entity Invoice "Invoice":
  id: uuid pk
  total: decimal(10,2) required
  issued: date required
  overdue_days: computed days_since(issued)
  rounded: computed int(max(total, 0))
  publish InvoiceIssued when created
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
  audit: all

webhook invoice_hook "Invoice hook":
  entity: Invoice
  events: [created]
  url: config("HOOK_URL")

job nightly "Nightly":
  trigger: on_create Invoice when max(total, 0) > 100
  schedule: cron("0 2 * * *")

atomic settle "Settle":
  permit:
    execute: role(admin)
  invariant: sum(total) >= min(total, 0)
