#- dialect: 0.112
# 0.112 constructs format like the others.
module shop.core

enum Status "Status":
    draft "Draft"
    paid "Paid"

entity Invoice "Invoice":
    id: uuid pk
    status: ref Status
    publish InvoicePaid when updated
    permit:
        read: role(admin)

atomic settle "Settle":
    permit:
        execute: role(admin)
    update Invoice(input.invoice):
        status:paid
