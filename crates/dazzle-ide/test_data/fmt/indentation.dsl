# Four-space indentation becomes two; dash items keep their keys aligned with their text, and
# the block of a `- header:` sits one level further.
module shop.core

entity Order "Order":
    id: uuid pk
    status: enum[draft,paid] = draft
    permit:
        read: role(admin)
    scope:
        read: all
            as: admin

process fulfil "Fulfil":
    trigger:
        when: entity Order created
    steps:
        - step check:
              service: checker
              timeout: 30s
        - step notify:
              service: mailer

story ST-001 "Pays":
    persona: admin
    given:
        - title: "An order"
          caption: "unpaid"
