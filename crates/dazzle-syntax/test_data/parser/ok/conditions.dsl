module lib.rules

entity Ticket "Ticket":
  id: uuid pk
  scope:
    list: status != closed and (assignee = current_user or team = current_user.team)
      as: agent
    read: priority in [high, urgent] or created_at >= today - 7d
      as: agent
    update: closed_at is not null and not (owner = current_user)
      as: lead
    delete: created_at >= start_of(month) - 1m and status not in [open, pending]
      as: admin
    create: subject[Manuscript].school = current_user.school and flagged
      as: editor
    list: archived_at is null and score > 3.5 and title != "draft" and label = None
      as: viewer
