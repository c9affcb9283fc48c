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
  -- Code lenses over entity headers: `matrix` (the entity's RBAC matrix row per persona) and
  -- `changes` (what changed in it since git HEAD). `false` turns both off. The plugin refreshes
  -- them on BufEnter, InsertLeave and TextChanged.
  codelens = { matrix = true, changes = true },
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

--- The `codeLens` settings the server reads.
local function codelens_settings()
  local c = M.config.codelens
  if c == false then
    return { matrix = false, changes = false }
  end
  c = type(c) == 'table' and c or {}
  return { matrix = c.matrix ~= false, changes = c.changes ~= false }
end

--- initializationOptions and settings for the current rules and code lenses (an empty rules
--- table is left out: it would be sent as a JSON array).
local function rule_payload()
  local options = { codeLens = codelens_settings() }
  if next(M.config.rules) ~= nil then
    options.rules = M.config.rules
  end
  return options, { dazzle = vim.deepcopy(options) }
end

local function refresh_codelens(bufnr)
  if not vim.lsp.codelens or codelens_settings().matrix == false and codelens_settings().changes == false then
    return
  end
  -- 0.10+ takes the buffer; 0.8/0.9 refresh the current one.
  if not pcall(vim.lsp.codelens.refresh, { bufnr = bufnr }) then
    pcall(vim.lsp.codelens.refresh)
  end
end

local lens_timers = {}

--- Refreshes a buffer's lenses once its edits settle: Neovim sends didChange debounced and
--- drops a refresh while one is in flight, so an immediate refresh would show stale lenses.
local function schedule_codelens(bufnr)
  local timer = lens_timers[bufnr]
  if not timer then
    timer = (vim.uv or vim.loop).new_timer()
    lens_timers[bufnr] = timer
  end
  timer:stop()
  timer:start(250, 0, vim.schedule_wrap(function()
    if vim.api.nvim_buf_is_valid(bufnr) then
      refresh_codelens(bufnr)
    end
  end))
end

--- Refreshes the code lenses of a buffer a dazzle client attached to, now and on edits.
local function attach_codelens(bufnr)
  local group = vim.api.nvim_create_augroup('dazzle_codelens_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'TextChanged' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      schedule_codelens(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group,
    buffer = bufnr,
    callback = function()
      if lens_timers[bufnr] then
        lens_timers[bufnr]:close()
        lens_timers[bufnr] = nil
      end
    end,
  })
  schedule_codelens(bufnr)
end

--- The client configuration shared by both backends. The rules are read when a server
--- starts (before_init), so set_rules() also applies to servers started later.
local function client_config()
  local user = M.config.lsp or {}
  local config = vim.tbl_deep_extend('force', { cmd = M.config.cmd }, user)
  config.cmd = M.config.cmd
  config.before_init = function(params, cfg)
    local init_options = rule_payload()
    params.initializationOptions = vim.tbl_deep_extend('force', params.initializationOptions or {}, init_options)
    if user.before_init then
      user.before_init(params, cfg)
    end
  end
  config.on_attach = function(client, bufnr)
    attach_codelens(bufnr)
    if user.on_attach then
      user.on_attach(client, bufnr)
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
  if opts.codelens ~= nil and opts.codelens ~= false and type(opts.codelens) ~= 'table' then
    error('dazzle.setup: codelens must be a table or false, got ' .. type(opts.codelens), 2)
  end
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
  settings.dazzle.rules = settings.dazzle.rules or vim.empty_dict()
  for _, client in ipairs(M.clients()) do
    client.settings = settings
    client_notify(client, 'workspace/didChangeConfiguration', { settings = settings })
  end
end

--- Switches code lenses on the running servers and for servers started later:
--- `{ matrix = bool, changes = bool }` or false; then refreshes the attached buffers.
function M.set_codelens(codelens)
  M.config.codelens = codelens
  local _, settings = rule_payload()
  settings.dazzle.rules = nil
  for _, client in ipairs(M.clients()) do
    client_notify(client, 'workspace/didChangeConfiguration', { settings = settings })
    for _, bufnr in ipairs(vim.lsp.get_buffers_by_client_id(client.id)) do
      if codelens_settings().matrix or codelens_settings().changes then
        refresh_codelens(bufnr)
      elseif vim.lsp.codelens.clear then
        pcall(vim.lsp.codelens.clear, client.id, bufnr)
      end
    end
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

--- Shows `lines` in the scratch buffer `dazzle://<kind>/<root>` (kind: matrix or diff).
local function show_matrix(lines, root, mods, kind)
  local name = ('dazzle://%s/%s'):format(kind or 'matrix', root or 'project')
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

local NO_CLIENT = 'no dazzle-lsp client is attached: open a .dsl file of a project (see :checkhealth dazzle)'

--- Ends a command: reports `msg` (an error) if any, then calls `opts.callback(value, msg)`.
local function finish(opts, value, msg)
  if msg then
    notify(msg, vim.log.levels.ERROR)
  end
  if opts.callback then
    opts.callback(value, msg)
  end
end

--- `:DazzleMatrix`: asks the server for the project's RBAC matrix and shows it in a scratch
--- buffer. `opts.mods`: split modifiers (`:vertical DazzleMatrix`); `opts.callback(buf, err)`.
function M.matrix(opts)
  opts = opts or {}
  local client, uri = pick_client()
  if not client then
    return finish(opts, nil, NO_CLIENT)
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
    finish(opts, buf, msg)
  end, vim.uri_to_bufnr(uri))
end

-- ---------------------------------------------------------------------------------------------
-- Access changes since a revision
-- ---------------------------------------------------------------------------------------------

--- Renders the `dazzle/matrixDiff` result (the JSON of `dazzle-lsp diff --format json`) as lines:
--- a summary, then one line per changed cell with its location.
function M.render_diff(diff)
  local base = diff.base or 'HEAD'
  if type(diff.base_commit) == 'string' then
    base = ('%s (%s)'):format(base, diff.base_commit:sub(1, 7))
  end
  local s = diff.summary or {}
  local lines = {
    ('Access changes since %s: %d widened (%d requires sign-off), %d narrowed, %d changed'):format(
      base,
      s.widened or 0,
      s.requires_sign_off or 0,
      s.narrowed or 0,
      s.changed or 0
    ),
  }
  for _, kind in ipairs({ 'entities', 'personas' }) do
    for _, how in ipairs({ 'added', 'removed' }) do
      local names = (diff[kind] or {})[how] or {}
      if #names > 0 then
        lines[#lines + 1] = ('  %s %s: %s'):format(kind, how, table.concat(names, ', '))
      end
    end
  end
  local marks = { widened = '+', narrowed = '-', changed = '~' }
  local verbs = { widened = 'gained', narrowed = 'lost', changed = 'changed' }
  for _, c in ipairs(diff.changes or {}) do
    local at = c.location ~= vim.NIL and c.location and ('%s:%d:%d'):format(c.location.file, c.location.line, c.location.column)
      or '(framework entity)'
    local before = c.before ~= vim.NIL and c.before or '—'
    local after = c.after ~= vim.NIL and c.after or '—'
    lines[#lines + 1] = ('%s %s %s %s on %s: %s → %s  %s%s'):format(
      marks[c.kind] or '?',
      c.persona,
      verbs[c.kind] or c.kind,
      c.operation,
      c.entity,
      before,
      after,
      at,
      c.requires_sign_off and '  requires sign-off (sensitive)' or ''
    )
  end
  if #(diff.changes or {}) == 0 and #lines == 1 then
    lines = { ('No access changes since %s'):format(base) }
  end
  return lines
end

--- `:DazzleDiff [REV]`: who gained or lost access since REV (default HEAD), from the editor's
--- text, in a scratch buffer. `opts.rev`, `opts.mods`, `opts.callback(buf, err)`.
function M.diff(opts)
  opts = opts or {}
  local client, uri = pick_client()
  if not client then
    return finish(opts, nil, NO_CLIENT)
  end
  local root = client.root_dir
  local params = { textDocument = { uri = uri }, base = opts.rev }
  client_request(client, 'dazzle/matrixDiff', params, function(err, result)
    local buf, msg
    if err then
      msg = 'dazzle/matrixDiff failed: ' .. (err.message or vim.inspect(err))
    elseif type(result) ~= 'table' then
      msg = 'dazzle/matrixDiff returned nothing'
    else
      buf = show_matrix(M.render_diff(result), root, opts.mods, 'diff')
      vim.bo[buf].filetype = 'dazzlediff'
      vim.keymap.set('n', 'r', function()
        M.diff({ rev = opts.rev, mods = '' })
      end, { buffer = buf, silent = true, desc = 'Refresh the diff' })
    end
    finish(opts, buf, msg)
  end, vim.uri_to_bufnr(uri))
end

-- ---------------------------------------------------------------------------------------------
-- The security report
-- ---------------------------------------------------------------------------------------------

--- The report format a file name asks for.
local function report_format(path)
  if path:match('%.md$') or path:match('%.markdown$') then
    return 'markdown'
  elseif path:match('%.json$') then
    return 'json'
  end
  return 'html'
end

--- `:DazzleReport [FILE]`: the project's security report from the editor's text, unsaved edits
--- included (`dazzle/securityReport`), written to FILE (HTML, Markdown or JSON by its extension)
--- or to an HTML file in the cache directory, which is then opened (`vim.ui.open`).
--- `opts.path`, `opts.open` (default: true without a path), `opts.callback(path, err)`.
function M.report(opts)
  opts = opts or {}
  local function done(path, msg)
    finish(opts, path, msg)
  end
  local client, uri = pick_client()
  if not client then
    return done(nil, NO_CLIENT)
  end
  local path = opts.path and vim.fn.fnamemodify(opts.path, ':p')
  if path and (path:match('%.dsl$') or vim.fn.fnamemodify(path, ':t') == 'dazzle.toml') then
    return done(nil, ('refusing to write the report over a project source file: %s'):format(path))
  end
  if not path then
    local dir = vim.fn.stdpath('cache') .. '/dazzle'
    vim.fn.mkdir(dir, 'p')
    local name = vim.fn.fnamemodify(client.root_dir or 'project', ':t')
    path = ('%s/security-report-%s.html'):format(dir, name)
  end
  local params = { textDocument = { uri = uri }, format = report_format(path) }
  client_request(client, 'dazzle/securityReport', params, function(err, result)
    if err then
      return done(nil, 'dazzle/securityReport failed: ' .. (err.message or vim.inspect(err)))
    elseif type(result) ~= 'table' or type(result.content) ~= 'string' then
      return done(nil, 'dazzle/securityReport returned nothing')
    end
    local file, open_err = io.open(path, 'wb')
    if not file then
      return done(nil, ('cannot write %s: %s'):format(path, open_err))
    end
    file:write(result.content)
    file:close()
    local open = opts.open
    if open == nil then
      open = opts.path == nil
    end
    if open and vim.ui.open then
      vim.ui.open(path)
    end
    notify(('security report written to %s'):format(path), vim.log.levels.INFO)
    done(path, nil)
  end, vim.uri_to_bufnr(uri))
end

return M
