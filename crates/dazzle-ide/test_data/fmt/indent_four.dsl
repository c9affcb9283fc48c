#- indent: 4
# With `indent = 4`: every level is four spaces.
module shop.core

entity Order "Order":
  id: uuid pk
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

process fulfil "Fulfil":
  steps:
    - step check:
        service: checker
    - title: "x"
      caption: "y"
