-- Filetype detection for Dazzle DSL files.
--
-- Neovim maps `*.dsl` to `structurizr` (or `dsl`, DSSSL, when the first line starts with `<!`).
-- A `*.dsl` file becomes `dazzle` when a `dazzle.toml` is found in its directory or above it
-- (mode "auto", the default), always (mode "always"), or never (mode "never": you set the
-- filetype yourself, e.g. in a modeline or your own `vim.filetype.add`).
local M = {}

local MODES = { auto = true, always = true, never = true }

local function uv()
  return vim.uv or vim.loop
end

--- The mode from `vim.g.dazzle_filetype` / `vim.g.dazzle_filetype_always`, or the one
--- `require('dazzle').setup({ filetype = ... })` stored.
function M.mode()
  local g = vim.g.dazzle_filetype
  if g == nil and (vim.g.dazzle_filetype_always == 1 or vim.g.dazzle_filetype_always == true) then
    g = 'always'
  end
  if type(g) == 'string' and MODES[g] then
    return g
  end
  return 'auto'
end

function M.valid_mode(mode)
  return MODES[mode] == true
end

--- The directory holding `dazzle.toml`, searching upward from `path` (a file or directory);
--- nil when there is none.
function M.find_root(path)
  if not path or path == '' then
    return nil
  end
  path = vim.fn.fnamemodify(path, ':p')
  local stat = uv().fs_stat(path)
  local dir = (stat and stat.type == 'directory') and path or vim.fn.fnamemodify(path, ':h')
  dir = dir:gsub('/+$', '')
  if dir == '' then
    dir = '/'
  end
  if vim.fs and vim.fs.find then
    local found = vim.fs.find('dazzle.toml', { upward = true, path = dir, type = 'file', limit = 1 })[1]
    return found and vim.fn.fnamemodify(found, ':h') or nil
  end
  -- Neovim without vim.fs (0.7): walk up by hand.
  while true do
    if vim.fn.filereadable(dir .. '/dazzle.toml') == 1 then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

--- Whether a `*.dsl` file at `path` should get the `dazzle` filetype.
function M.is_dazzle(path)
  local mode = M.mode()
  if mode == 'always' then
    return true
  elseif mode == 'never' then
    return false
  end
  return M.find_root(path) ~= nil
end

local registered = false

--- Registers the detection once; the mode is read at detection time, so changing it later
--- (setup() or the globals) applies to the files opened afterwards.
function M.register()
  if registered then
    return
  end
  registered = true
  if vim.filetype and vim.filetype.add then
    -- A pattern with a positive priority is tried before extension matching; returning nil
    -- falls through to Neovim's own `dsl` rule (structurizr / DSSSL).
    vim.filetype.add({
      pattern = {
        ['.*%.dsl'] = {
          function(path)
            if M.is_dazzle(path) then
              return 'dazzle'
            end
          end,
          { priority = 10 },
        },
      },
    })
  else
    -- Neovim 0.7: filetype.lua is opt-in there; override after the Vim script detection.
    vim.cmd([[
      augroup dazzle_filetype
        autocmd!
        autocmd BufRead,BufNewFile *.dsl lua if require('dazzle.filetype').is_dazzle(vim.fn.expand('<afile>')) then vim.bo.filetype = 'dazzle' end
      augroup END
    ]])
  end
end

return M
