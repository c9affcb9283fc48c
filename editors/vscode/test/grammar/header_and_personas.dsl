# Module header, app body, personas, archetype (0.125 dialect).
module shop.orders
# <- keyword.other.module.dazzle
#      ^^^^^^^^^^^ entity.name.namespace.dazzle
use shop.catalog
use shop.people as people
#                  ^^^^^^ entity.name.namespace.dazzle

app orders "Order Desk":
# <- keyword.declaration.app.dazzle
#   ^^^^^^ entity.name.type.app.dazzle
  description: "Orders, refunds and shipping"
  multi_tenant: true
  audit_trail: false
  security_profile: strict
  theme: linear-dark

persona admin "Administrator":
# <- keyword.declaration.persona.dazzle
#       ^^^^^ entity.name.tag.persona.dazzle
  description: "Runs the shop"
  goals: "Keep orders moving", "Approve refunds"
  proficiency: expert
  default_workspace: ops_board
  uses nav main_nav

# `owner` and `list` are keywords elsewhere; here they are persona ids.
persona owner "Owner":
#       ^^^^^ entity.name.tag.persona.dazzle !keyword
  role: owner
  interactive: true

persona list:
#       ^^^^ entity.name.tag.persona.dazzle !support.constant.operation

archetype Timestamped:
# <- keyword.declaration.dazzle
#         ^^^^^^^^^^^ entity.name.type.dazzle
  created_at: datetime auto_add
  updated_at: datetime auto_update
  invariant: updated_at >= created_at

tenancy:
# <- keyword.declaration.dazzle
  mode: shared_schema
  partition_key: shop_id
  entities_excluded: [Country, Currency]

policies:
  classify Customer.email as pii_direct retention: long
  erasure Customer.phone: anonymize
  audit_access: true

audit on Order:
# <- keyword.declaration.dazzle
#     ^^ keyword.other.dazzle
#        ^^^^^ entity.name.type.dazzle
  track: status, total
  show_to: persona(admin, owner)
  retention: 90d

param orders.refund.max_days "Refund window":
#     ^^^^^^^^^^^^^^^^^^^^^^ variable.other.constant.param.dazzle
  type: int
  default: 30

story ST-014 "Admin approves a refund":
#     ^^^^^^ entity.name.function.story.dazzle
  persona: admin
  trigger: status_changed
  entities: [Order, Refund]
  given:
    - "an order in state delivered"
