# Constructs of the 0.112 dialect that 0.125 removed: kept as typed headers with generic
# bodies, and reported (as warnings) when the dialect is 0.125.
module legacy.parts

enum Colour "Colour":
  red "Red"
  green
stream OrderEvents:
  kind: FACT
  partition_key: order_id
message OrderShipped "Order shipped":
  "Sent when an order ships"
  order_id: uuid required
channel email_out "Email":
  kind: email
subscribe orders.events as order_handler:
  on OrderShipped:
    call service notifier
projection order_view from orders.events:
  on OrderShipped:
    upsert with order_id
hless:
  mode strict
job cleanup "Cleanup":
  schedule: cron("0 3 * * *")
rule RULE-C-001 "No orphan orders":
  description: "Every order has a customer"
