module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
  default_workspace: desk

# Negative: every allowed call, nested at any depth, in computed and invariant expressions.
entity Order "Order":
  id: uuid pk
  amount: decimal(10,2)
  qty: int
  name: str(80)
  created: datetime
  due: date
  status: enum[draft, open, done] = draft
  total: computed sum(max(amount, min(qty, avg(amount))))
  age: computed days_since(created)
  left: computed max(days_until(due), 0)
  shout: computed upper(lower(name))
  size: computed length(upper(name)) + count(Order)
  week: computed bucket(created, week)
  stamp: computed today() - 7d
  fresh: computed now() - created
  whole: computed int(decimal(sum(amount)))
  label: computed str(qty)
  loud: computed COUNT(Order) + Max(qty, 1)
  invariant: length(lower(name)) > 0 and max(qty, 0) >= min(qty, 0)
  transitions:
    draft -> open: guard: count(Order) < max(qty, 10)
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
  audit: all

surface order_view "Orders":
  uses entity Order
  mode: view
  section main:
    field qty "Qty" when: max(qty, 0) > min(qty, 1)
  access: persona(admin)

# Negative: allowed calls in filters and derived aggregate metrics.
workspace desk "Desk":
  access: persona(admin)
  orders:
    source: Order
    filter: created >= today() and qty > count(Order)
    group_by: bucket(created, month)
    aggregate:
      revenue: sum(amount)
      ratio: count(Order) / max(count(Order), 1)
      spread: max(amount) - min(amount)
      mean: avg(sum(amount))

# Negative: allowed calls in process steps, and lookups with config/env/cron/regex/in.
process fulfil "Fulfil":
  trigger:
    when: entity Order created
  steps:
    - step check:
        condition: count(max(qty)) > 1 and days_since(created) < 30
        service: checker
    - step notify:
        condition: status in("open", "done") and regex("^A") = name
        service: mailer
  endpoint: config("MAIL_URL")
  token: env("MAIL_TOKEN")
  cadence: cron("0 * * * *")
