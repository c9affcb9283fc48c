# Whole-line comments follow the indentation of the line after them, unless they close a
# deeper block (then they keep that block's level); trailing comments keep their spacing.
module shop.core

entity Order "Order":
    # the key
    id: uuid pk      # trailing, four spaces
 # off by one: follows the next line
    permit:
        read: role(admin)
        # the end of the permit block

# Top-level comment, attached to what follows.
entity Invoice "Invoice":
  id: uuid pk
