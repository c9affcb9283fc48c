module errs.constructs

llm_model bad "Bad":
  provider: skynet

foreign_model Rate from api "Rate":
  key: code
  constraint nightly_sync

process slow "Slow":
  steps:
    - step wait:
        timeout: 30x

entity StillTyped:
  id: uuid pk
