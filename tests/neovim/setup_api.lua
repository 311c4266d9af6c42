-- Driven by tests/neovim_e2e.rs: checks editors/neovim's setup() against
-- the Neovim 0.11+ API (vim.lsp.config / vim.lsp.enable, stubbed here so
-- that any release can run it), its filetype detection and its root
-- directory search. Results go to $ASL_E2E_OUT as JSON.

local result = {}

local function run()
  local dir = assert(os.getenv("ASL_E2E_DIR"), "ASL_E2E_DIR is not set")
  local captured = {}
  vim.lsp.config = setmetatable({}, {
    __call = function(_, name, config)
      captured.config_name = name
      captured.config = config
    end,
  })
  vim.lsp.enable = function(name)
    captured.enabled = name
  end

  -- As in a usual configuration, where detection for JSON and YAML runs too.
  vim.cmd("filetype on")
  local m = require("asl-lint")
  result.has_config_api = m.has_config_api()
  m.setup({ cmd = { "/opt/asl-lint/bin/asl-lint", "lsp" }, templates = false })
  result.without_templates = captured.config
  captured = {}
  m.setup({ cmd = { "/opt/asl-lint/bin/asl-lint", "lsp" } })
  result.captured = captured

  result.filetypes = {}
  for _, name in ipairs({ "x.asl.json", "x.asl.yaml", "x.asl.yml", "plain.json" }) do
    vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/" .. name))
    result.filetypes[name] = vim.bo.filetype
  end

  -- asl-lint.toml in a/ wins over .git in a/b/, though .git is nearer.
  result.root = m.find_root(dir .. "/a/b/c/flow.asl.json")
  result.root_git = m.find_root(dir .. "/a/b/c/flow.asl.json", { ".git" })
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  result.error = tostring(err)
end
vim.fn.writefile({ vim.fn.json_encode(result) }, assert(os.getenv("ASL_E2E_OUT")))
vim.cmd(ok and "qall!" or "cquit 1")
