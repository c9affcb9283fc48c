# No padding inside brackets, no space before a comma; inside brackets a comma is followed
# by one space (or none, as written); outside brackets the spacing after a comma may align
# columns and is kept.
module shop.core

entity Order "Order":
  id: uuid pk
  status: enum[ draft , paid,shipped ]
  amount: decimal( 10,2 )
  unique id ,status
  permit:
    read: role( admin )

workspace desk "Desk":
  access: persona( admin ,  clerk )
  queue:
    source: Order
    tones:
      - label: "Watch",   from: 250, to: 500
      - label: "Breach",  from: 500, to: 1000
