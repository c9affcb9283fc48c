# One space after the key's colon, none before; colons inside values stay as written.
module shop.core

app shop "Shop":
  security_profile:standard
  description :   "A shop"

entity Order "Order":
  id:uuid pk
  name:    str(200)    required
  permit:
    read:role(admin)

surface orders "Orders":
  uses entity Order
  mode:list
  section main:
    field name "Name" format: currency:GBP
