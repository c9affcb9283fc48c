module t.core
app t "T":
  security_profile: standard

# Negative: lifecycle states named like control words, listed with their attributes, and an
# operation path of an integration action.
entity Ticket "Ticket":
  id: uuid pk
  status: enum[case, return] = case
  lifecycle:
    status_field: status
    states:
      - case (order: 1)
      - return (order: 2)

integration desk "Desk":
  action sync_ticket:
    when surface tickets
    call operation tickets/return/each
