-- Sourced by `:filetype on` and by plugin managers that lazy-load on the `dazzle` filetype
-- (lazy.nvim reads ftdetect/ at startup), so detection works before the plugin is loaded.
require('dazzle.filetype').register()
