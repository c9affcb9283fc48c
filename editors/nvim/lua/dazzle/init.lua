-- dazzle.nvim: Neovim client configuration for dazzle-lsp, the language server and security
-- linter of the Dazzle DSL. See `:help dazzle`.
local M = {}

local filetype = require('dazzle.filetype')

local SEVERITIES = { error = true, warning = true, info = true, information = true, hint = true, off = true }

M.defaults = {
  -- The server command (a list: executable and arguments).
  cmd = { 'dazzle-lsp' },
  -- Severity per diagnostic code: "error" | "warning" | "info" | "hint" | "off".
  -- Sent as initializationOptions `{ rules = ... }`; set_rules() changes them on running servers.
  rules = {},
  -- "auto": `*.dsl` is dazzle when a dazzle.toml is found upward; "always"; "never".
  filetype = nil,
  -- "auto": vim.lsp.config/vim.lsp.enable on 0.11+, vim.lsp.start on 0.8–0.10; "start": always
  -- vim.lsp.start from a FileType autocmd (e.g. when something else owns vim.lsp.config).
  backend = 'auto',
  -- Extra fields merged into the client configuration (on_attach, capabilities, handlers,
  -- on_exit, ...; see `:help vim.lsp.ClientConfig`).
  lsp = {},
}

M.config = vim.deepcopy(M.defaults)
M.did_setup = false
M.backend = nil -- "vim.lsp.config" (0.11+) or "vim.lsp.start" (0.8–0.10) once set up

local function has(feature)
  return vim.fn.has(feature) == 1
end

local function notify(msg, level)
  vim.notify('dazzle: ' .. msg, level or vim.log.levels.INFO)
end

--- `vim.lsp.get_clients` (0.10+) or `vim.lsp.get_active_clients`.
local function get_clients(filter)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get(filter or {})
end

--- The dazzle-lsp clients, optionally only those attached to `bufnr`.
function M.clients(bufnr)
  return get_clients({ name = 'dazzle', bufnr = bufnr })
end

local function client_request(client, method, params, handler, bufnr)
  if has('nvim-0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function client_notify(client, method, params)
  if has('nvim-0.11') then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function validate_rules(rules)
  local ok = {}
  for code, severity in pairs(rules or {}) do
    if type(code) ~= 'string' or type(severity) ~= 'string' or not SEVERITIES[severity] then
      notify(
        ('rules[%s] = %s: expected "error", "warning", "info", "hint" or "off"'):format(
          vim.inspect(code),
          vim.inspect(severity)
        ),
        vim.log.levels.WARN
      )
    else
      ok[code] = severity
    end
  end
  return ok
end

--- initializationOptions and settings for the current rules (nothing when there are none:
--- an empty Lua table would be sent as a JSON array).
local function rule_payload()
  if next(M.config.rules) == nil then
    return nil, nil
  end
  return { rules = M.config.rules }, { dazzle = { rules = M.config.rules } }
end

--- The client configuration shared by both backends. The rules are read when a server
--- starts (before_init), so set_rules() also applies to servers started later.
local function client_config()
  local user = M.config.lsp or {}
  local config = vim.tbl_deep_extend('force', { cmd = M.config.cmd }, user)
  config.cmd = M.config.cmd
  config.before_init = function(params, cfg)
    local init_options = rule_payload()
    if init_options then
      params.initializationOptions = vim.tbl_deep_extend('force', params.initializationOptions or {}, init_options)
    end
    if user.before_init then
      user.before_init(params, cfg)
    end
  end
  return config
end

local function setup_lsp_config()
  pcall(vim.api.nvim_del_augroup_by_name, 'dazzle_lsp') -- switching from the vim.lsp.start backend
  local config = client_config()
  config.filetypes = { 'dazzle' }
  config.root_markers = { 'dazzle.toml' }
  vim.lsp.config('dazzle', config)
  vim.lsp.enable('dazzle')
  M.backend = 'vim.lsp.config'
end

--- Neovim 0.8–0.10: start (or reuse) a client from a FileType autocmd.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = vim.api.nvim_buf_get_name(bufnr)
  local root = filetype.find_root(path) or (path ~= '' and vim.fn.fnamemodify(path, ':p:h')) or vim.fn.getcwd()
  local config = client_config()
  config.name = 'dazzle'
  config.root_dir = root
  return vim.lsp.start(config, { bufnr = bufnr })
end

local function setup_lsp_start()
  if M.backend == 'vim.lsp.config' then
    vim.lsp.enable('dazzle', false) -- switching from the vim.lsp.config backend
  end
  local group = vim.api.nvim_create_augroup('dazzle_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'dazzle',
    callback = function(args)
      M.start(args.buf)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'dazzle' then
      M.start(buf)
    end
  end
  M.backend = 'vim.lsp.start'
end

--- Configures the plugin and the language server; may be called again to change options.
function M.setup(opts)
  opts = opts or {}
  for key, want in pairs({ cmd = 'table', rules = 'table', filetype = 'string', lsp = 'table', backend = 'string' }) do
    if opts[key] ~= nil and type(opts[key]) ~= want then
      error(('dazzle.setup: %s must be a %s, got %s'):format(key, want, type(opts[key])), 2)
    end
  end
  if opts.backend and opts.backend ~= 'auto' and opts.backend ~= 'start' then
    error('dazzle.setup: backend must be "auto" or "start", got ' .. vim.inspect(opts.backend), 2)
  end
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  if opts.cmd then
    M.config.cmd = opts.cmd -- lists are replaced, not merged
  end
  M.config.rules = validate_rules(M.config.rules)
  if opts.filetype then
    if not filetype.valid_mode(opts.filetype) then
      notify('filetype must be "auto", "always" or "never", got ' .. vim.inspect(opts.filetype), vim.log.levels.WARN)
    else
      vim.g.dazzle_filetype = opts.filetype
    end
  end
  filetype.register()
  if not has('nvim-0.8') then
    notify('Neovim 0.8 or newer is needed for the language server', vim.log.levels.ERROR)
    return
  end
  if M.config.backend ~= 'start' and vim.lsp.config and vim.lsp.enable then
    setup_lsp_config()
  else
    setup_lsp_start()
  end
  M.did_setup = true
end

--- Changes rule severities on the running servers (workspace/didChangeConfiguration with
--- `{ dazzle = { rules = ... } }`) and for servers started later. Replaces the previous rules.
function M.set_rules(rules)
  M.config.rules = validate_rules(rules or {})
  local _, settings = rule_payload()
  settings = settings or { dazzle = { rules = vim.empty_dict() } }
  for _, client in ipairs(M.clients()) do
    client.settings = settings
    client_notify(client, 'workspace/didChangeConfiguration', { settings = settings })
  end
end

-- ---------------------------------------------------------------------------------------------
-- The RBAC matrix
-- ---------------------------------------------------------------------------------------------

--- A dazzle client and a document URI to ask about: the current buffer's, or any attached one.
local function pick_client()
  local buf = vim.api.nvim_get_current_buf()
  local client = M.clients(buf)[1]
  if client then
    return client, vim.uri_from_bufnr(buf)
  end
  local wanted = vim.b[buf].dazzle_matrix_root
  for _, c in ipairs(M.clients()) do
    if wanted == nil or c.root_dir == wanted then
      local bufs = vim.lsp.get_buffers_by_client_id(c.id)
      if bufs[1] then
        return c, vim.uri_from_bufnr(bufs[1])
      end
    end
  end
  return nil
end

local function width(s)
  return vim.fn.strdisplaywidth(s)
end

--- Renders the `dazzle/rbacMatrix` result (the JSON of `dazzle-lsp matrix --format json`) as
--- the lines of an aligned table: entity | operation | one column per persona; then warnings.
function M.render_matrix(matrix)
  local roles = matrix.roles or {}
  local decision = {}
  for _, cell in ipairs(matrix.cells or {}) do
    decision[cell.entity .. '\0' .. cell.operation .. '\0' .. cell.role] = cell.decision
  end
  local rows = { vim.list_extend({ 'entity', 'operation' }, vim.deepcopy(roles)) }
  for _, entity in ipairs(matrix.entities or {}) do
    for _, op in ipairs(matrix.operations or {}) do
      local row = { entity, op }
      for _, role in ipairs(roles) do
        row[#row + 1] = decision[entity .. '\0' .. op .. '\0' .. role] or ''
      end
      rows[#rows + 1] = row
    end
  end
  local widths = {}
  for _, row in ipairs(rows) do
    for i, text in ipairs(row) do
      widths[i] = math.max(widths[i] or 3, width(text))
    end
  end
  local function line(row)
    local parts = {}
    for i, text in ipairs(row) do
      parts[i] = text .. string.rep(' ', widths[i] - width(text))
    end
    return '| ' .. table.concat(parts, ' | ') .. ' |'
  end
  local lines = { line(rows[1]) }
  local rule = {}
  for i = 1, #rows[1] do
    rule[i] = string.rep('-', widths[i])
  end
  lines[2] = '|-' .. table.concat(rule, '-|-') .. '-|'
  for i = 2, #rows do
    lines[#lines + 1] = line(rows[i])
  end
  local warnings = matrix.warnings or {}
  if #warnings > 0 then
    lines[#lines + 1] = ''
    lines[#lines + 1] = ('Warnings (%d):'):format(#warnings)
    for _, w in ipairs(warnings) do
      lines[#lines + 1] = '- ' .. (w.message or vim.inspect(w)):gsub('\n', ' ')
    end
  end
  return lines
end

local function show_matrix(lines, root, mods)
  local name = 'dazzle://matrix/' .. (root or 'project')
  local buf = -1
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(b) == name then
      buf = b
    end
  end
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
  end
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd((mods and mods ~= '' and mods or 'botright') .. ' split')
    vim.api.nvim_win_set_buf(0, buf)
    win = vim.api.nvim_get_current_win()
  else
    vim.api.nvim_set_current_win(win)
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'hide'
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  vim.b[buf].dazzle_matrix_root = root
  vim.wo[win].wrap = false
  vim.wo[win].list = false
  vim.bo[buf].filetype = 'dazzlematrix'
  vim.keymap.set('n', 'q', '<cmd>close<cr>', { buffer = buf, silent = true, desc = 'Close the matrix' })
  vim.keymap.set('n', 'r', function()
    M.matrix({ mods = '' })
  end, { buffer = buf, silent = true, desc = 'Refresh the matrix' })
  return buf
end

--- `:DazzleMatrix`: asks the server for the project's RBAC matrix and shows it in a scratch
--- buffer. `opts.mods`: split modifiers (`:vertical DazzleMatrix`); `opts.callback(buf, err)`.
function M.matrix(opts)
  opts = opts or {}
  local client, uri = pick_client()
  if not client then
    local msg = 'no dazzle-lsp client is attached: open a .dsl file of a project (see :checkhealth dazzle)'
    notify(msg, vim.log.levels.ERROR)
    if opts.callback then
      opts.callback(nil, msg)
    end
    return
  end
  local root = client.root_dir
  client_request(client, 'dazzle/rbacMatrix', { textDocument = { uri = uri } }, function(err, result)
    local buf, msg
    if err then
      msg = 'dazzle/rbacMatrix failed: ' .. (err.message or vim.inspect(err))
    elseif type(result) ~= 'table' then
      msg = 'dazzle/rbacMatrix returned no matrix'
    else
      buf = show_matrix(M.render_matrix(result), root, opts.mods)
    end
    if msg then
      notify(msg, vim.log.levels.ERROR)
    end
    if opts.callback then
      opts.callback(buf, msg)
    end
  end, vim.uri_to_bufnr(uri))
end

return M
