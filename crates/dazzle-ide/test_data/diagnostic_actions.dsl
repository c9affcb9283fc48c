# The cursor is on an entity that permits access without a scope: the line offers the rule's
# fix and a suppression; the keyword hovers with its doc and is not renameable.
module t.core

persona staff "Staff":
  description: "Everyone"

$0entity Memo "Memo":
  id: uuid pk
  text_body: text

  permit:
    list: role(staff)
    read: role(staff)
