# An item with a syntax error is kept byte for byte; the well-formed items around it are
# formatted.
module shop.core

entity Good "Good":
    id:uuid pk

entity Broken "Broken":
    id:uuid pk
    total: decimal(10,
    permit:
        read role(admin)

entity AlsoGood "Also good":
    id:uuid pk
