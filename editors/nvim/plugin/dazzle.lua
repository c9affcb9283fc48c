-- dazzle.nvim: filetype detection and commands. The language server starts once
-- `require('dazzle').setup()` has been called (see `:help dazzle`).
if vim.g.loaded_dazzle then
  return
end
vim.g.loaded_dazzle = true

require('dazzle.filetype').register()

vim.api.nvim_create_user_command('DazzleMatrix', function(cmd)
  require('dazzle').matrix({ mods = cmd.mods })
end, { desc = "Show the project's RBAC matrix (dazzle/rbacMatrix) in a scratch buffer" })

vim.api.nvim_create_user_command('DazzleDiff', function(cmd)
  require('dazzle').diff({ rev = cmd.args ~= '' and cmd.args or nil, mods = cmd.mods })
end, { nargs = '?', desc = 'Show who gained or lost access since a git revision (default HEAD)' })

vim.api.nvim_create_user_command('DazzleReport', function(cmd)
  require('dazzle').report({ path = cmd.args ~= '' and cmd.args or nil })
end, { nargs = '?', complete = 'file', desc = "Write the project's security report (and open it in a browser)" })
