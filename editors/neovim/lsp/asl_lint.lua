-- The asl-lint server for Neovim 0.11+ (vim.lsp.config reads lsp/*.lua from
-- 'runtimepath'): with this directory on the runtimepath,
-- `vim.lsp.enable("asl_lint")` is enough once the filetypes are detected,
-- which require("asl-lint").setup() also does. Plain `json` and `yaml`
-- buffers are included for CloudFormation/SAM templates: the server lints
-- those holding a state machine and ignores the others.
return {
  cmd = { "asl-lint", "lsp" },
  filetypes = { "json.states", "yaml.states", "json", "yaml" },
  root_markers = { "asl-lint.toml", ".asl-lint.toml", ".git" },
}
