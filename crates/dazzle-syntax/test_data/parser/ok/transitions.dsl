module ops.flow

entity Order "Order":
  id: uuid pk
  status: enum[new, paid, shipped, cancelled] = new
  transitions:
    new -> paid: requires payment_ref
    paid -> shipped "Ship it" confirm "Really ship?"
    * -> cancelled: role(admin) or role(support)
    shipped -> new:
      guard: refund_issued = true
        message: "Refund first"
      role(admin)
    new -> cancelled: auto after 7 days or manual
