-- The asl-lint server for Neovim 0.11+ (vim.lsp.config reads lsp/*.lua from
-- 'runtimepath'): with this directory on the runtimepath,
-- `vim.lsp.enable("asl_lint")` is enough once the filetypes are detected,
-- which require("asl-lint").setup() also does.
return {
  cmd = { "asl-lint", "lsp" },
  filetypes = { "json.states", "yaml.states" },
  root_markers = { "asl-lint.toml", ".asl-lint.toml", ".git" },
}
