-- `:checkhealth dazzle`
local M = {}

local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

--- Runs `cmd` and returns its trimmed output and exit code (bounded to `ms` on 0.10+).
local function run(cmd, ms)
  if vim.system then
    local ok_spawn, proc = pcall(vim.system, cmd, { text = true })
    if not ok_spawn then
      return nil, -1, tostring(proc)
    end
    local res = proc:wait(ms)
    return vim.trim((res.stdout or '') .. (res.stderr or '')), res.code
  end
  local out = vim.fn.system(cmd)
  return vim.trim(out or ''), vim.v.shell_error
end

--- The loaded buffers of *.dsl files (at most 20).
local function dsl_buffers()
  local out = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.api.nvim_buf_get_name(buf):match('%.dsl$') and #out < 20 then
      out[#out + 1] = buf
    end
  end
  return out
end

local function check_neovim()
  start('Neovim')
  local v = vim.version()
  local version = ('%d.%d.%d'):format(v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    ok(('Neovim %s (0.11+: vim.lsp.config() / vim.lsp.enable() available)'):format(version))
  elseif vim.fn.has('nvim-0.8') == 1 then
    ok(('Neovim %s (0.8–0.10: the server is started with vim.lsp.start())'):format(version))
  else
    error(('Neovim %s is too old: dazzle.nvim needs 0.8 or newer for the language server'):format(version))
  end
end

local function check_server(dazzle)
  start('dazzle-lsp')
  if not dazzle.did_setup then
    warn("require('dazzle').setup() has not been called: the language server is not configured", {
      "add `require('dazzle').setup()` to your init.lua (or `opts = {}` in a lazy.nvim spec)",
    })
  else
    ok(('setup() called: the server is %s'):format(
      dazzle.backend == 'vim.lsp.config' and 'configured with vim.lsp.config() + vim.lsp.enable()'
        or 'started with vim.lsp.start() from a FileType autocmd'
    ))
  end
  local cmd = dazzle.config.cmd or {}
  local exe = cmd[1]
  if type(exe) ~= 'string' or exe == '' then
    error('cmd is empty: set `cmd = { "/path/to/dazzle-lsp" }` in setup()')
    return
  end
  if vim.fn.executable(exe) ~= 1 then
    error(('%s is not executable (cmd = %s)'):format(exe, vim.inspect(cmd)), {
      'build it: cargo build --release -p dazzle-lsp (then put target/release on PATH)',
      "or point the plugin at it: require('dazzle').setup({ cmd = { '/path/to/dazzle-lsp' } })",
    })
    return
  end
  local path = vim.fn.exepath(exe)
  ok(('found %s'):format(path ~= '' and path or exe))
  local out, code = run({ exe, '--version' }, 3000)
  if code == 0 and out and out:match('dazzle%-lsp') then
    ok('version: ' .. out)
  else
    warn(('`%s --version` did not answer as dazzle-lsp (exit %s): %s'):format(exe, tostring(code), out or ''))
  end
  local rules = dazzle.config.rules or {}
  if next(rules) then
    local parts = {}
    for code_name, severity in pairs(rules) do
      parts[#parts + 1] = code_name .. '=' .. severity
    end
    table.sort(parts)
    info('rules: ' .. table.concat(parts, ', '))
  else
    info('rules: none (the project’s [tool.dazzle-lsp] settings apply)')
  end
end

local function check_filetype(dazzle)
  start('Filetype detection')
  local ft = require('dazzle.filetype')
  local mode = ft.mode()
  info(('mode: %s (%s)'):format(mode, ({
    auto = '*.dsl is dazzle when a dazzle.toml is found upward',
    always = 'every *.dsl is dazzle',
    never = 'dazzle.nvim leaves *.dsl alone',
  })[mode]))
  if vim.filetype and vim.filetype.match then
    local got = vim.filetype.match({ filename = '/nonexistent/dazzle-health-check.dsl' })
    local want = mode == 'always' and 'dazzle' or nil
    if want and got ~= want then
      error(('a *.dsl file outside a project gets filetype %s, expected dazzle'):format(tostring(got)))
    end
  end
  -- :checkhealth runs in its own buffer: look at the loaded *.dsl buffers instead.
  local bufs = dsl_buffers()
  if #bufs == 0 then
    info('no *.dsl buffer is loaded: open one and run :checkhealth dazzle again to check its detection')
  end
  for _, buf in ipairs(bufs) do
    local name = vim.api.nvim_buf_get_name(buf)
    local root = ft.find_root(name)
    local bft = vim.bo[buf].filetype
    if bft == 'dazzle' then
      ok(('%s: filetype dazzle, project root %s'):format(name, root or '(none: no dazzle.toml upward)'))
    elseif mode ~= 'never' and (mode == 'always' or root) then
      error(('%s has filetype %q, expected dazzle'):format(name, bft), {
        'another plugin may set the filetype later; try :set filetype=dazzle',
      })
    else
      warn(('%s has filetype %q: no dazzle.toml above it'):format(name, bft), {
        "set `filetype = 'always'` in setup() (or vim.g.dazzle_filetype = 'always') to treat every *.dsl as Dazzle",
      })
    end
  end
end

local function check_clients(dazzle)
  start('Language server clients')
  local clients = dazzle.clients()
  local attached = {}
  for _, client in ipairs(clients) do
    local bufs = vim.lsp.get_buffers_by_client_id(client.id)
    local names = {}
    for _, b in ipairs(bufs) do
      attached[b] = true
      names[#names + 1] = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(b), ':t')
    end
    local state = client.initialized and 'initialized' or 'starting'
    if client.is_stopped and client:is_stopped() then
      state = 'stopped'
    end
    ok(('client %d (%s): root %s, position encoding %s, attached to %d buffer(s): %s'):format(
      client.id,
      state,
      tostring(client.root_dir),
      tostring(client.offset_encoding),
      #bufs,
      table.concat(names, ', ')
    ))
  end
  for _, buf in ipairs(dsl_buffers()) do
    if vim.bo[buf].filetype == 'dazzle' and not attached[buf] then
      error(('no dazzle-lsp client is attached to %s'):format(vim.api.nvim_buf_get_name(buf)), {
        dazzle.did_setup and 'see :LspLog (lsp.log in stdpath("log")) for the server’s start-up errors'
          or "call require('dazzle').setup()",
      })
    end
  end
  if #clients == 0 then
    info('no dazzle-lsp client is running')
  end
end

function M.check()
  local dazzle = require('dazzle')
  check_neovim()
  check_server(dazzle)
  check_filetype(dazzle)
  check_clients(dazzle)
end

return M
