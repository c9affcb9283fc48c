#- indent: 4
#- dialect: 0.112
# Comments after an item kept as written keep their column: the scale of the kept
# item's indentation is unknown, so re-indenting them would not be stable.
entity Ticket "Ticket":
  id: uuid pk
  assign CHECKLIST:
# a top-level comment
 # a comment between the kept levels
entity Order "Order":
  id: uuid pk
