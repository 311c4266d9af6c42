-- asl-lint for Neovim: filetype detection for Amazon States Language files
-- and the `asl-lint lsp` language server.
--
--   require("asl-lint").setup()                      -- asl-lint on PATH
--   require("asl-lint").setup({ cmd = { "/path/to/asl-lint", "lsp" } })
--
-- Files named *.asl.json get the filetype `json.states` and *.asl.yaml /
-- *.asl.yml get `yaml.states`: compound filetypes keep Neovim's JSON and
-- YAML syntax highlighting and match what existing Step Functions setups
-- use. The server also attaches to plain `json` and `yaml` buffers, where it
-- lints CloudFormation/SAM templates and other files holding a state machine
-- and ignores the rest; `setup({ templates = false })` leaves them out.
-- On Neovim 0.11 and later the server is registered with
-- vim.lsp.config() and vim.lsp.enable(); on older releases (0.7 to 0.10) a
-- FileType autocommand starts one client per root directory with
-- vim.lsp.start_client() and attaches buffers with vim.lsp.buf_attach_client().

local M = {}

--- The name of the server configuration (vim.lsp.config, :LspInfo …).
M.name = "asl_lint"

--- The filetypes of state machine definitions.
M.filetypes = { "json.states", "yaml.states" }

--- The filetypes of templates (and of definitions named otherwise): the
--- server decides by content whether a buffer holds a state machine.
M.template_filetypes = { "json", "yaml" }

--- Root markers, in order of priority: the nearest directory holding the
--- first marker found wins, as with vim.lsp.config's `root_markers`.
M.root_markers = { "asl-lint.toml", ".asl-lint.toml", ".git" }

--- The filetype of each file-name pattern (Lua patterns on the file name).
M.patterns = {
  [".*%.asl%.json"] = "json.states",
  [".*%.asl%.ya?ml"] = "yaml.states",
}

local uv = vim.uv or vim.loop

--- The default configuration: what vim.lsp.config() receives. Without
--- templates (`templates == false`) only the definition filetypes.
function M.default_config(templates)
  local filetypes = vim.deepcopy(M.filetypes)
  if templates ~= false then
    vim.list_extend(filetypes, M.template_filetypes)
  end
  return {
    cmd = { "asl-lint", "lsp" },
    filetypes = filetypes,
    root_markers = vim.deepcopy(M.root_markers),
  }
end

--- True when this Neovim has vim.lsp.config() and vim.lsp.enable() (0.11+).
function M.has_config_api()
  return vim.lsp.config ~= nil and type(vim.lsp.enable) == "function"
end

--- Registers the filetypes of *.asl.json, *.asl.yaml and *.asl.yml.
function M.detect_filetypes()
  if vim.filetype ~= nil and vim.filetype.add ~= nil then
    vim.filetype.add({ pattern = M.patterns })
  end
  -- Before 0.8 filetype.lua only runs when g:do_filetype_lua is set, so an
  -- autocommand does the detection there. It sets the filetype outright:
  -- the JSON/YAML detection may already have run for this file.
  if vim.fn.has("nvim-0.8") == 0 then
    local group = vim.api.nvim_create_augroup("asl_lint_filetype", { clear = true })
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = { "*.asl.json" },
      command = "set filetype=json.states",
    })
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = { "*.asl.yaml", "*.asl.yml" },
      command = "set filetype=yaml.states",
    })
  end
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- The root directory for the file `path`: for each marker in turn, the
--- nearest directory (the file's own, then its parents) holding it; else the
--- file's directory.
function M.find_root(path, markers)
  local start = vim.fn.fnamemodify(path, ":p:h")
  for _, marker in ipairs(markers or M.root_markers) do
    local dir = start
    while true do
      if exists(dir .. "/" .. marker) then
        return dir
      end
      local parent = vim.fn.fnamemodify(dir, ":h")
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return start
end

-- Older releases: one client per root directory.
local clients = {}

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  if not client then
    return false
  end
  -- A plain function before 0.10, a method since; passing the client suits both.
  local ok, stopped = pcall(client.is_stopped, client)
  return ok and not stopped
end

local function attach_legacy(bufnr, config)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root
  if name == "" then
    root = vim.fn.getcwd()
  else
    root = M.find_root(name, config.root_markers)
  end
  local id = clients[root]
  if not client_alive(id) then
    local start = vim.deepcopy(config)
    start.filetypes = nil
    start.root_markers = nil
    -- Functions do not survive deepcopy on every release.
    start.on_attach = config.on_attach
    start.name = M.name
    start.root_dir = root
    id = vim.lsp.start_client(start)
    clients[root] = id
  end
  if id ~= nil then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

local function setup_legacy(config)
  local group = vim.api.nvim_create_augroup("asl_lint_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      attach_legacy(args.buf, config)
    end,
  })
  -- Buffers that already have their filetype (setup() called late).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
      attach_legacy(bufnr, config)
    end
  end
end

--- Detects the filetypes and enables the server. `opts` is merged over
--- M.default_config(); `templates = false` keeps the server to the
--- definition filetypes; any other client option (on_attach, capabilities,
--- settings …) is passed through. Lists given in `opts` (cmd, filetypes,
--- root_markers) replace the defaults rather than merge with them.
function M.setup(opts)
  -- A shallow copy: functions do not survive deepcopy on every release.
  local given = opts or {}
  opts = {}
  for k, v in pairs(given) do
    opts[k] = v
  end
  local on_attach = opts.on_attach
  local templates = opts.templates
  opts.templates = nil
  local config = vim.tbl_deep_extend("force", M.default_config(templates), opts)
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts[key] ~= nil then
      config[key] = opts[key]
    end
  end
  if on_attach ~= nil then
    config.on_attach = on_attach
  end
  M.detect_filetypes()
  if M.has_config_api() then
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
  else
    setup_legacy(config)
  end
  return config
end

return M
