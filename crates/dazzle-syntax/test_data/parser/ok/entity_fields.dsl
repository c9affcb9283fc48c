module shop.catalog

entity Product "Product":
  intent: "Something the shop sells"
  domain: catalog
  patterns: lifecycle, audit_trail
  display_field: name
  id: uuid pk
  sku: str(32) required unique
  name: str(200) required searchable
  description: text
  price: decimal(10,2) required
  list_price: money(EUR)
  weight_kg: float
  stock: int = 0
  active: bool = true
  launched_on: date = today
  review_due: date = today + 30d
  created_at: datetime auto_add
  updated_at: datetime auto_update
  contact_email: email pii(category=contact, sensitivity=high)
  owner_phone: str(20) pii
  slug: slug unique?
  specs: json
  homepage: url
  tz: timezone
  manual: file(200MB, ui: drag_drop) storage=manuals|shared_docs
  status: enum[draft, live, retired] = draft
    semantic: draft=neutral, live=positive, retired=negative
  category: ref Category required
  subject: poly_ref [Category, Supplier]
  variants: has_many Variant via product cascade readonly
  spec_sheet: has_one SpecSheet restrict
  dimensions: embeds Dimensions
  supplier: belongs_to Supplier
  latest_price: latest_one PriceChange via product
  children: descendants_of self via parent
  margin: computed price - cost
  discounted: decimal(10,2) = price * 0.9
  old_name: str(100) was: legacy_name
  soft_delete
  unique sku, name
  index category, status
  invariant: stock >= 0
    message: "Stock cannot be negative"
    code: negative_stock
