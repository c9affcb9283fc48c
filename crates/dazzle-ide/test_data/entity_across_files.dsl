# The cursor is on a reference to an entity declared in this file and used in another.
module t.core

persona admin "Admin":
  description: "Runs the place"

entity Task "Task":
  id: uuid pk
  title: str(200) required
  parent: ref $0Task

  permit:
    list: role(admin)
    read: role(admin)

  scope:
    list: all
      as: admin
    read: all
      as: admin

  audit: all
#- file: ui.dsl
module t.ui

surface task_list "Tasks":
  uses entity Task
  mode: list
  section main:
    field title "Title"
