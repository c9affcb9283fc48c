-- End-to-end test of editors/nvim with a real dazzle-lsp, run by run.sh:
--   nvim --headless -n -i NONE -c 'luafile test.lua'
-- with the plugin installed as a package and set up from init.lua. Environment:
--   DAZZLE_E2E_PROJECT  a temporary copy of examples/clinic (edited by the test, never saved)
--   DAZZLE_E2E_RESULT   where the JSON result goes
--   DAZZLE_E2E_STEP_TIMEOUT  bound of each wait, in ms
--   DAZZLE_LSP          the server (for the CLI matrix the :DazzleMatrix table is compared with)
-- Every step is timed; the first failing step ends the run with exit code 1, its name, the
-- reason and the tail of lsp.log. A watchdog ends a hung run.
local uv = vim.uv or vim.loop
local t0 = uv.hrtime()
local STEP_TIMEOUT = tonumber(os.getenv('DAZZLE_E2E_STEP_TIMEOUT') or '') or 10000
local WATCHDOG_MS = STEP_TIMEOUT * 9
local project = assert(os.getenv('DAZZLE_E2E_PROJECT'), 'DAZZLE_E2E_PROJECT is not set')
local result_path = os.getenv('DAZZLE_E2E_RESULT') or (project .. '/../result.json')
local records = project .. '/dsl/records.dsl'
local ui = project .. '/dsl/ui.dsl'

local result = {
  client = 'neovim',
  backend = os.getenv('DAZZLE_E2E_BACKEND'),
  nvim = tostring(vim.version()),
  ok = false,
  steps = {},
}
local current = 'startup'
local finished = false

local function ms_since(t)
  return math.floor((uv.hrtime() - t) / 1e6)
end

local function lsp_log_tail(n)
  local path = vim.lsp.get_log_path and vim.lsp.get_log_path() or ''
  local f = path ~= '' and io.open(path, 'r')
  if not f then
    return '(no lsp.log at ' .. tostring(path) .. ')'
  end
  local lines = {}
  for line in f:lines() do
    lines[#lines + 1] = #line > 400 and (line:sub(1, 400) .. ' …') or line
    if #lines > n then
      table.remove(lines, 1)
    end
  end
  f:close()
  return table.concat(lines, '\n')
end

local function write_result()
  result.total_ms = ms_since(t0)
  local f = io.open(result_path, 'w')
  if f then
    f:write(vim.json.encode(result))
    f:close()
  end
end

-- Ends the run. Safe in a fast (libuv) callback: only Lua I/O and os.exit.
local function finish(ok, message)
  if finished then
    return
  end
  finished = true
  result.ok = ok
  if not ok then
    result.failed_step = current
    result.error = message
  end
  write_result()
  if ok then
    io.stdout:write(('\nnvim e2e: all %d steps passed in %d ms\n'):format(#result.steps, result.total_ms))
    io.stdout:flush()
  else
    io.stderr:write(('\nnvim e2e: FAILED at step "%s": %s\n'):format(current, tostring(message)))
    io.stderr:write('--- tail of lsp.log ---\n' .. lsp_log_tail(30) .. '\n')
    io.stderr:flush()
  end
end

local watchdog = uv.new_timer()
watchdog:start(WATCHDOG_MS, 0, function()
  finish(false, ('watchdog: the whole test took more than %d ms'):format(WATCHDOG_MS))
  os.exit(3)
end)

--- Waits (bounded) until `cond()` is truthy; fails the step with `what` otherwise.
local function wait_for(what, cond, timeout, explain)
  local value
  local ok = vim.wait(timeout or STEP_TIMEOUT, function()
    local good, v = pcall(cond)
    if good and v then
      value = v
      return true
    end
    return false
  end, 20)
  if not ok then
    local message = ('timed out after %d ms waiting for %s'):format(timeout or STEP_TIMEOUT, what)
    if explain then
      message = message .. ' (' .. explain() .. ')'
    end
    error({ message = message }, 0)
  end
  return value
end

-- Assertion failures are tables (no traceback); Lua errors get one.
local function check(cond, message)
  if not cond then
    error({ message = message }, 0)
  end
  return cond
end

local function step(name, fn)
  current = name
  local t = uv.hrtime()
  local ok, detail = xpcall(fn, function(err)
    if type(err) == 'table' and err.message then
      return err.message
    end
    return debug.traceback(tostring(err), 2)
  end)
  local entry = { name = name, ms = ms_since(t), ok = ok }
  if ok and detail ~= nil then
    entry.detail = detail
  end
  table.insert(result.steps, entry)
  if not ok then
    entry.error = detail
    finish(false, detail)
    vim.cmd('cquit 1')
  end
end

local function dazzle_client(buf)
  return vim.lsp.get_clients({ name = 'dazzle', bufnr = buf })[1]
end

local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'dazzle-lsp' then
      out[#out + 1] = d
    end
  end
  return out
end

local function find_diag(buf, code)
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == code then
      return d
    end
  end
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  elseif contents.value then
    return contents.value
  end
  local parts = {}
  for _, c in ipairs(contents) do
    parts[#parts + 1] = type(c) == 'string' and c or c.value
  end
  return table.concat(parts, '\n')
end

-- The whole JSON-RPC traffic goes to lsp.log, whose tail is printed on failure.
vim.lsp.set_log_level('debug')

-- init.lua records the server's exit through the plugin's `lsp` option (on_exit).
local function server_exit()
  return _G.dazzle_e2e_server_exit
end

local buf, client, server_pid

step('filetype', function()
  -- Outside a project (no dazzle.toml upward) Neovim's own mapping stays.
  local outside = vim.fn.fnamemodify(project, ':h') .. '/not-a-project/workspace.dsl'
  vim.fn.mkdir(vim.fn.fnamemodify(outside, ':h'), 'p')
  vim.fn.writefile({ 'workspace {', '}' }, outside)
  vim.cmd.edit(vim.fn.fnameescape(outside))
  local other = vim.bo.filetype
  vim.cmd('bwipeout!')
  check(other == 'structurizr', 'a *.dsl outside a Dazzle project got filetype ' .. other .. ', expected structurizr')
  -- vim.g.dazzle_filetype = 'always' takes every *.dsl.
  vim.g.dazzle_filetype = 'always'
  local always = vim.filetype.match({ filename = outside })
  vim.g.dazzle_filetype = nil
  check(always == 'dazzle', "with vim.g.dazzle_filetype = 'always' a *.dsl outside a project got " .. tostring(always))
  vim.cmd.edit(vim.fn.fnameescape(records))
  buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'dazzle', 'records.dsl got filetype ' .. vim.bo[buf].filetype .. ', expected dazzle')
  return { filetype = vim.bo[buf].filetype }
end)

step('attach', function()
  client = wait_for('a dazzle-lsp client attached and initialized', function()
    local c = dazzle_client(buf)
    return c and c.initialized and c.server_capabilities and c
  end)
  check(vim.lsp.buf_is_attached(buf, client.id), 'client not attached to the buffer')
  local want_backend = os.getenv('DAZZLE_E2E_BACKEND') == 'start' and 'vim.lsp.start' or 'vim.lsp.config'
  check(require('dazzle').backend == want_backend, 'plugin backend ' .. tostring(require('dazzle').backend))
  check(
    vim.fs.normalize(client.root_dir) == vim.fs.normalize(project),
    ('root_dir %s, expected the project %s'):format(tostring(client.root_dir), project)
  )
  for _, pid in ipairs(vim.api.nvim_get_proc_children(vim.fn.getpid())) do
    local p = vim.api.nvim_get_proc(pid)
    if p and p.name and p.name:find('dazzle') then
      server_pid = pid
    end
  end
  return {
    root_dir = client.root_dir,
    offset_encoding = client.offset_encoding,
    server = client.server_info,
    pid = server_pid,
  }
end)

step('diagnostics', function()
  local audit = wait_for('a missing-audit diagnostic from dazzle-lsp on records.dsl', function()
    return find_diag(buf, 'missing-audit')
  end)
  check(audit.lnum == 92, ('missing-audit on line %d, expected 92 (0-based)'):format(audit.lnum))
  check(find_diag(buf, 'unscoped-entity'), 'no unscoped-entity diagnostic')
  check(
    audit.severity == vim.diagnostic.severity.WARN,
    ('missing-audit has severity %d, expected WARN'):format(audit.severity)
  )
  local codes = {}
  for _, d in ipairs(diagnostics(buf)) do
    codes[#codes + 1] = ('%s@%d:%d'):format(d.code, d.lnum + 1, d.severity)
  end
  return { count = #codes, codes = codes }
end)

step('rules', function()
  -- init.lua passes rules = { ['unscoped-entity'] = 'error', ['pii-field-unmarked'] = 'off' }:
  -- the plugin sends them as initializationOptions, the server applies them.
  local function applied()
    local d = find_diag(buf, 'unscoped-entity')
    return d and d.severity == vim.diagnostic.severity.ERROR and find_diag(buf, 'pii-field-unmarked') == nil
  end
  -- Bounded wait: a later publish may be the one with the rules applied.
  vim.wait(STEP_TIMEOUT, applied, 20)
  local unscoped = check(find_diag(buf, 'unscoped-entity'), 'no unscoped-entity diagnostic')
  check(
    unscoped.severity == vim.diagnostic.severity.ERROR,
    ('unscoped-entity has severity %d, expected %d (ERROR, from the rules option)'):format(
      unscoped.severity,
      vim.diagnostic.severity.ERROR
    )
  )
  check(find_diag(buf, 'pii-field-unmarked') == nil, 'pii-field-unmarked is still reported although rules turns it off')
  return { rules = require('dazzle').config.rules }
end)

step('hover', function()
  -- `entity Visit "Visit":` is line 58; the name starts at column 7.
  local line = vim.api.nvim_buf_get_lines(buf, 57, 58, false)[1]
  check(line:find('^entity Visit'), 'unexpected line 58: ' .. line)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 57, character = 9 } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, STEP_TIMEOUT)
  local res = responses and responses[client.id]
  check(res and not res.err and res.result, 'no hover result: ' .. vim.inspect(res))
  local text = hover_text(res.result.contents)
  check(text:find('Visit', 1, true), 'hover does not name the entity: ' .. text)
  for _, persona in ipairs({ 'clinician', 'receptionist' }) do
    check(text:find(persona, 1, true), 'hover has no matrix row for persona ' .. persona .. ':\n' .. text)
  end
  check(text:find('\n|[^\n]*|[^\n]*|'), 'hover has no Markdown table row:\n' .. text)
  check(text:find('\n|[ :]*%-%-%-'), 'hover has no Markdown table separator:\n' .. text)
  -- And as a user sees it: K / vim.lsp.buf.hover() opens a floating window with that table.
  vim.api.nvim_win_set_cursor(0, { 58, 9 })
  vim.lsp.buf.hover()
  local float_text = wait_for('the hover floating window', function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
        local joined = table.concat(lines, '\n')
        if joined:find('clinician', 1, true) then
          vim.api.nvim_win_close(win, true)
          return joined
        end
      end
    end
  end)
  local rows = 0
  for l in text:gmatch('[^\n]+') do
    if l:find('^|') then
      rows = rows + 1
    end
  end
  return { chars = #text, table_lines = rows, float_lines = select(2, float_text:gsub('\n', '\n')) + 1 }
end)

local function lens_titles(b)
  local titles = {}
  for _, lens in ipairs(vim.lsp.codelens.get(b)) do
    if lens.command and lens.command.title then
      titles[#titles + 1] = { line = lens.range.start.line, title = lens.command.title }
    end
  end
  return titles
end

local function shown_lens_text(b, line)
  -- What the user sees: the virtual text the codelens module draws on the line.
  local text = {}
  for _, ns in pairs(vim.api.nvim_get_namespaces()) do
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(b, ns, { line, 0 }, { line, -1 }, { details = true })) do
      for _, chunk in ipairs(mark[4].virt_text or {}) do
        text[#text + 1] = chunk[1]
      end
      for _, vline in ipairs(mark[4].virt_lines or {}) do
        for _, chunk in ipairs(vline) do
          text[#text + 1] = chunk[1]
        end
      end
    end
  end
  return table.concat(text, '')
end

step('codelens', function()
  -- `entity Visit "Visit":` is line 58 (0-based 57): its lens is the matrix row per persona.
  local row = wait_for('a code lens with the Visit matrix row on line 58', function()
    for _, l in ipairs(lens_titles(buf)) do
      if l.line == 57 and l.title:find('clinician', 1, true) and l.title:find('receptionist', 1, true) then
        return l.title
      end
    end
  end)
  for _, l in ipairs(lens_titles(buf)) do
    check(not l.title:find('since HEAD', 1, true), 'a change lens before any edit: ' .. l.title)
  end
  local shown = wait_for('the lens drawn on line 58', function()
    local t = shown_lens_text(buf, 57)
    return t:find('clinician', 1, true) and t
  end)
  return { row = row, shown = shown, lenses = #lens_titles(buf) }
end)

local visit_update -- 1-based line of Visit's `update: role(clinician)`
step('codelens_change', function()
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 57, -1, false)) do
    if l == '    update: role(clinician)' then
      visit_update = 57 + i
      break
    end
  end
  check(visit_update, 'no `update: role(clinician)` line after entity Visit')
  -- As a user types it: append in insert mode, leave insert mode (InsertLeave refreshes).
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { visit_update, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('A or role(receptionist)<Esc>', true, false, true), 'xt', false)
  check(vim.api.nvim_buf_get_lines(buf, visit_update - 1, visit_update, false)[1]:find('role(receptionist)', 1, true), 'the edit did not land')
  local change = wait_for('a "+receptionist update since HEAD" lens on Visit', function()
    for _, l in ipairs(lens_titles(buf)) do
      if l.line == 57 and l.title == '+receptionist update since HEAD' then
        return l.title
      end
    end
  end)
  local shown = wait_for('the change lens drawn on line 58', function()
    local t = shown_lens_text(buf, 57)
    return t:find('since HEAD', 1, true) and t
  end)
  return { change = change, shown = shown }
end)

step('dazzle_diff', function()
  local done
  require('dazzle').diff({
    callback = function(b, err)
      done = { b = b, err = err }
    end,
  })
  wait_for(':DazzleDiff', function()
    return done
  end)
  check(done.b and not done.err, 'no diff buffer: ' .. tostring(done.err))
  local lines = vim.api.nvim_buf_get_lines(done.b, 0, -1, false)
  local text = table.concat(lines, '\n')
  check(lines[1]:find('^Access changes since HEAD'), 'unexpected summary: ' .. lines[1])
  check(text:find('+ receptionist gained update on Visit: DENY → PERMIT_NO_SCOPE', 1, true), 'diff lacks the change:\n' .. text)
  check(text:find('requires sign-off', 1, true), 'Visit holds personal data, so the change needs sign-off:\n' .. text)
  check(vim.bo[done.b].filetype == 'dazzlediff', 'diff buffer filetype ' .. vim.bo[done.b].filetype)
  vim.cmd('close')
  -- Undo the edit: the change lens goes (the later steps compare with the files on disk).
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_feedkeys('u', 'xt', false)
  check(vim.api.nvim_buf_get_lines(buf, visit_update - 1, visit_update, false)[1] == '    update: role(clinician)', 'undo did not restore the line')
  vim.api.nvim_exec_autocmds('TextChanged', { buffer = buf })
  wait_for('the change lens to go after undo', function()
    for _, l in ipairs(lens_titles(buf)) do
      if l.title:find('since HEAD', 1, true) then
        return false
      end
    end
    return #lens_titles(buf) > 0
  end)
  return { lines = #lines, first = lines[2] }
end)

step('format', function()
  -- Practice's `list: role(admin)` (line 11), written badly, then vim.lsp.buf.format().
  vim.api.nvim_set_current_buf(buf)
  local good = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
  check(good == '    list: role(admin)', 'unexpected line 11: ' .. good)
  vim.api.nvim_buf_set_lines(buf, 10, 11, false, { '    list:role(admin)   ' })
  vim.lsp.buf.format({ bufnr = buf, timeout_ms = STEP_TIMEOUT })
  local line = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
  check(line == good, 'after vim.lsp.buf.format() line 11 is ' .. vim.inspect(line))
  local disk = table.concat(vim.fn.readfile(records), '\n')
  check(table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') == disk, 'the formatted buffer differs from the file on disk')
  return { line = line }
end)

step('report', function()
  -- :DazzleReport from the editor's text: Practice's list rule opened to every authenticated
  -- user (unsaved) shows in the report's matrix; then the line is put back.
  vim.api.nvim_set_current_buf(buf)
  local function report(path, open)
    local done
    require('dazzle').report({
      path = path,
      open = open,
      callback = function(p, err)
        done = { path = p, err = err }
      end,
    })
    wait_for(':DazzleReport', function()
      return done
    end)
    return done
  end
  local function clinician_list(doc)
    for _, e in ipairs(doc.matrix.entities) do
      if e.name == 'Practice' then
        for _, c in ipairs(e.cells) do
          if c.persona == 'clinician' and c.operation == 'list' then
            return c.decision
          end
        end
      end
    end
  end
  local json_path = vim.fn.tempname() .. '.json'
  local before = report(json_path)
  check(before.path and not before.err, 'no report: ' .. tostring(before.err))
  local doc = vim.json.decode(table.concat(vim.fn.readfile(json_path), '\n'))
  check(doc.schema == 'dazzle-lsp-report/1', 'schema ' .. tostring(doc.schema))
  check(#doc.matrix.personas == 4, 'personas: ' .. vim.inspect(doc.matrix.personas))
  check(clinician_list(doc) == 'DENY', 'before the edit clinician list Practice is ' .. tostring(clinician_list(doc)))
  local good = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
  vim.api.nvim_buf_set_lines(buf, 10, 11, false, { '    list: authenticated' })
  report(json_path)
  doc = vim.json.decode(table.concat(vim.fn.readfile(json_path), '\n'))
  local after = clinician_list(doc)
  check(after ~= 'DENY', 'the report did not follow the unsaved edit')
  vim.api.nvim_buf_set_lines(buf, 10, 11, false, { good })
  -- Without a path: HTML in the cache directory (not opened here).
  local html = report(nil, false)
  check(html.path and html.path:find(vim.fn.stdpath('cache'), 1, true), 'HTML written to ' .. tostring(html.path))
  check(vim.fn.readfile(html.path, '', 1)[1] == '<!DOCTYPE html>', 'not an HTML page')
  local refused = report(vim.fn.tempname() .. '.dsl')
  check(refused.err and refused.err:find('refusing', 1, true), 'a .dsl target was not refused')
  return { entities = #doc.matrix.entities, clinician_list = 'DENY -> ' .. after, html = html.path }
end)

step('definition', function()
  -- Cross-file: `uses entity Patient` in ui.dsl → `entity Patient` in records.dsl.
  vim.cmd.edit(vim.fn.fnameescape(ui))
  local ui_buf = vim.api.nvim_get_current_buf()
  check(vim.bo[ui_buf].filetype == 'dazzle', 'ui.dsl got filetype ' .. vim.bo[ui_buf].filetype)
  wait_for('the client attached to ui.dsl', function()
    return vim.lsp.buf_is_attached(ui_buf, client.id)
  end)
  local line = vim.api.nvim_buf_get_lines(ui_buf, 5, 6, false)[1]
  check(line == '  uses entity Patient', 'unexpected ui.dsl line 6: ' .. line)
  vim.api.nvim_win_set_cursor(0, { 6, 16 })
  vim.lsp.buf.definition()
  wait_for('the jump to records.dsl:23 (entity Patient)', function()
    local cur = vim.api.nvim_get_current_buf()
    return cur == buf and vim.api.nvim_win_get_cursor(0)[1] == 23
  end)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local target = vim.api.nvim_buf_get_lines(buf, 22, 23, false)[1]
  check(target:find('^entity Patient'), 'landed on: ' .. target)
  -- Same file, from a field type: `visit: ref Visit required` (line 111) → `entity Visit` (58).
  vim.api.nvim_win_set_cursor(0, { 111, 13 })
  check(vim.api.nvim_get_current_line():find('ref Visit', 1, true), 'unexpected line 111')
  vim.lsp.buf.definition()
  wait_for('the jump to records.dsl:58 (entity Visit)', function()
    return vim.api.nvim_get_current_buf() == buf and vim.api.nvim_win_get_cursor(0)[1] == 58
  end)
  return { cross_file = { line = cursor[1], col = cursor[2] }, ref_field = vim.api.nvim_win_get_cursor(0) }
end)

step('code_action', function()
  local audit = check(find_diag(buf, 'missing-audit'), 'missing-audit diagnostic gone before the fix')
  local version = vim.lsp.util.buf_versions[buf]
  vim.api.nvim_win_set_cursor(0, { audit.lnum + 1, audit.col })
  local offered = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      offered[#offered + 1] = action.title
      return action.kind == 'quickfix' and action.title:find('Audit every operation', 1, true) ~= nil
    end,
  })
  wait_for('the quick fix "Audit every operation" to rewrite line 93', function()
    return vim.api.nvim_buf_get_lines(buf, 92, 93, false)[1] == '  audit: all'
  end)
  wait_for('the missing-audit diagnostic to go away after the edit', function()
    return find_diag(buf, 'missing-audit') == nil and find_diag(buf, 'unscoped-entity') ~= nil
  end, nil, function()
    local codes = {}
    for _, d in ipairs(diagnostics(buf)) do
      codes[#codes + 1] = ('%s@%d:%d'):format(d.code, d.lnum + 1, d.col)
    end
    return ('buffer version %s, diagnostics now: %s'):format(
      vim.lsp.util.buf_versions[buf], table.concat(codes, ', '))
  end)
  return { offered = offered, version_before = version, version_after = vim.lsp.util.buf_versions[buf] }
end)

step('code_action_list', function()
  -- The unscoped-entity finding offers a scope: skeleton and a suppression comment.
  local d = check(find_diag(buf, 'unscoped-entity'), 'no unscoped-entity diagnostic')
  local lsp_diag = d.user_data and d.user_data.lsp
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, STEP_TIMEOUT)
  local res = responses and responses[client.id]
  check(res and not res.err and res.result, 'no code actions: ' .. vim.inspect(res))
  local titles = {}
  for _, a in ipairs(res.result) do
    titles[#titles + 1] = a.title
  end
  local joined = table.concat(titles, ' / ')
  check(joined:lower():find('scope', 1, true), 'no scope: skeleton quick fix among: ' .. joined)
  check(joined:lower():find('suppress', 1, true) or joined:find('allow', 1, true), 'no suppression among: ' .. joined)
  return { titles = titles }
end)

step('set_rules', function()
  -- Rules changed at run time reach the server as workspace/didChangeConfiguration; they
  -- replace the ones from setup().
  require('dazzle').set_rules({ ['permit-false-not-enforced'] = 'off' })
  wait_for('the new rules to apply (permit-false-not-enforced off, the setup() rules gone)', function()
    local unscoped = find_diag(buf, 'unscoped-entity')
    return find_diag(buf, 'permit-false-not-enforced') == nil
      and unscoped
      and unscoped.severity == vim.diagnostic.severity.WARN
      and find_diag(buf, 'pii-field-unmarked') ~= nil
  end)
  return { settings = client.settings }
end)

step('matrix', function()
  vim.api.nvim_set_current_buf(buf)
  vim.cmd('DazzleMatrix')
  local mbuf = wait_for('the :DazzleMatrix buffer', function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      local b = vim.api.nvim_win_get_buf(win)
      if vim.bo[b].filetype == 'dazzlematrix' and vim.api.nvim_buf_line_count(b) > 2 then
        return b
      end
    end
  end)
  local lines = vim.api.nvim_buf_get_lines(mbuf, 0, -1, false)
  check(vim.bo[mbuf].buftype == 'nofile', 'the matrix buffer is not a scratch buffer')
  local header = lines[1]
  for _, persona in ipairs({ 'admin', 'clinician', 'receptionist', 'patient' }) do
    check(header:find(persona, 1, true), 'matrix header lacks persona ' .. persona .. ': ' .. header)
  end
  -- Aligned: every table line has the same display width and its | at the same columns.
  local function bars(l)
    local cols = {}
    for i = 1, #l do
      if l:sub(i, i) == '|' then
        cols[#cols + 1] = i
      end
    end
    return table.concat(cols, ',')
  end
  local table_lines = {}
  for _, l in ipairs(lines) do
    if l:find('^|') then
      table_lines[#table_lines + 1] = l
      check(bars(l) == bars(header), 'misaligned table line: ' .. l)
    end
  end
  -- Same cells as the command line's `dazzle-lsp matrix` table.
  local function cells(l)
    return (l:gsub('%s+', ''))
  end
  local cli = vim.fn.systemlist({ os.getenv('DAZZLE_LSP'), 'matrix', project })
  check(vim.v.shell_error == 0, 'dazzle-lsp matrix failed')
  local want = {}
  for _, l in ipairs(cli) do
    if l:find('^|') and not l:find('^| %-%-%-') then
      want[#want + 1] = cells(l)
    end
  end
  local got = {}
  for _, l in ipairs(table_lines) do
    if not l:find('^|%-') then
      got[#got + 1] = cells(l)
    end
  end
  check(#got == #want, ('matrix has %d rows, the CLI %d'):format(#got, #want))
  for i = 1, #want do
    check(got[i] == want[i], ('row %d differs: %s vs CLI %s'):format(i, got[i], want[i]))
  end
  -- Again (from the matrix buffer itself, as its `r` mapping does): the same buffer, refreshed.
  local done
  vim.api.nvim_set_current_buf(mbuf)
  require('dazzle').matrix({
    callback = function(b, err)
      done = { b = b, err = err }
    end,
  })
  wait_for('the matrix refresh', function()
    return done
  end)
  check(done.b == mbuf and not done.err, 'refresh gave buffer ' .. tostring(done.b) .. ' / ' .. tostring(done.err))
  check(#vim.fn.win_findbuf(mbuf) == 1, 'the matrix buffer is shown in more than one window')
  vim.cmd('close')
  return { rows = #got - 1, example = table_lines[3] }
end)

step('checkhealth', function()
  vim.api.nvim_set_current_buf(buf)
  vim.cmd('checkhealth dazzle')
  local hbuf = vim.api.nvim_get_current_buf()
  local text = wait_for('the checkhealth report', function()
    local t = table.concat(vim.api.nvim_buf_get_lines(hbuf, 0, -1, false), '\n')
    return t:find('Language server clients', 1, true) and t
  end)
  check(not text:find('ERROR'), 'checkhealth reports an error:\n' .. text)
  check(text:find('version: dazzle%-lsp %d'), 'checkhealth shows no server version:\n' .. text)
  check(text:find('records.dsl: filetype dazzle', 1, true), 'checkhealth does not see records.dsl as dazzle:\n' .. text)
  check(text:find('attached to 2 buffer%(s%): [^\n]*records%.dsl'), 'checkhealth sees no attached client:\n' .. text)
  vim.cmd('tabclose')
  local oks = select(2, text:gsub('OK', 'OK'))
  return { ok_lines = oks }
end)

step('shutdown', function()
  local id = client.id
  client:stop()
  local exit = wait_for('the server to exit after shutdown/exit', server_exit)
  check(
    exit.code == 0 and exit.signal == 0,
    ('server exited with code %d signal %d'):format(exit.code, exit.signal)
  )
  if server_pid then
    wait_for('the server process to be gone', function()
      return vim.api.nvim_get_proc(server_pid) == nil
    end, 3000)
  end
  check(vim.lsp.get_client_by_id(id) == nil or vim.lsp.get_client_by_id(id):is_stopped(), 'client still running')
  return exit
end)

current = 'exit'
watchdog:stop()
finish(true)
vim.cmd('qall!')
