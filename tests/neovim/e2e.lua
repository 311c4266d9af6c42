-- Driven by tests/neovim_e2e.rs: opens a state machine with the server
-- configured by editors/neovim, records the diagnostics it receives, renames
-- a state through vim.lsp.buf.rename(), writes the file and quits. Results
-- go to $ASL_E2E_OUT as JSON; a failure is recorded there too and the exit
-- code is 1.
--
-- Environment: ASL_LINT_BIN (the server program), ASL_E2E_FILE (the file to
-- open), ASL_E2E_TEMPLATE (a template to open next, optional), ASL_E2E_OUT
-- (where to write the results).

local TIMEOUT = 20000
local result = {}

local function buffer_clients(bufnr)
  if vim.lsp.get_clients ~= nil then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local function all_clients()
  if vim.lsp.get_clients ~= nil then
    return vim.lsp.get_clients()
  end
  return vim.lsp.get_active_clients()
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

local function diagnostics_of(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or lsp.code,
    })
  end
  return out
end

local function run()
  local bin = assert(os.getenv("ASL_LINT_BIN"), "ASL_LINT_BIN is not set")
  local file = assert(os.getenv("ASL_E2E_FILE"), "ASL_E2E_FILE is not set")
  result.nvim_version = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch

  -- As in a usual configuration, where detection for JSON and YAML runs too.
  vim.cmd("filetype on")
  require("asl-lint").setup({ cmd = { bin, "lsp" } })
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype

  assert(vim.wait(TIMEOUT, function()
    return #buffer_clients(buf) > 0
  end, 20), "no language server attached to the buffer")
  local client = buffer_clients(buf)[1]
  result.client_name = client.name
  result.root_dir = client.config.root_dir
  result.offset_encoding = client.offset_encoding

  assert(vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20), "no diagnostics arrived")
  result.diagnostics = diagnostics_of(buf)

  -- Rename the state `Notify` from its key, as a user would: cursor inside
  -- the name, then vim.lsp.buf.rename() (prepareRename, rename, apply).
  local line = vim.fn.search('"Notify": {', "w")
  assert(line > 0, "the state Notify is not in the file")
  local col = vim.fn.col(".")
  vim.api.nvim_win_set_cursor(0, { line, col + 1 })
  vim.lsp.buf.rename("Announce")
  assert(vim.wait(TIMEOUT, function()
    local _, n = buffer_text(buf):gsub('"Announce"', "")
    return n >= 2
  end, 20), "the rename was not applied")
  vim.cmd("write")
  result.renamed_text = buffer_text(buf)

  -- The edit goes to the server, which lints the new text: the finding
  -- about `Archive` is still there, and nothing mentions `Notify`.
  assert(vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.message:find("Notify", 1, true) then
        return false
      end
    end
    return #vim.diagnostic.get(buf) > 0
  end, 20), "diagnostics were not refreshed after the rename")
  result.diagnostics_after_rename = diagnostics_of(buf)

  -- A SAM template in a plain `yaml` buffer: the same server lints the
  -- state machine written in it.
  local template = os.getenv("ASL_E2E_TEMPLATE")
  if template ~= nil then
    vim.cmd("edit " .. vim.fn.fnameescape(template))
    local tbuf = vim.api.nvim_get_current_buf()
    result.template_filetype = vim.bo[tbuf].filetype
    assert(vim.wait(TIMEOUT, function()
      return #buffer_clients(tbuf) > 0
    end, 20), "no language server attached to the template")
    assert(vim.wait(TIMEOUT, function()
      return #vim.diagnostic.get(tbuf) > 0
    end, 20), "no diagnostics arrived for the template")
    result.template_diagnostics = diagnostics_of(tbuf)
  end
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  result.error = tostring(err)
  local log = vim.lsp.get_log_path and vim.lsp.get_log_path()
  if log ~= nil and vim.fn.filereadable(log) == 1 then
    local lines = vim.fn.readfile(log)
    result.lsp_log = table.concat(vim.list_slice(lines, math.max(1, #lines - 40)), "\n")
  end
end
vim.fn.writefile({ vim.fn.json_encode(result) }, assert(os.getenv("ASL_E2E_OUT")))

-- Shut the server down politely before leaving.
local ids = {}
for _, c in ipairs(all_clients()) do
  table.insert(ids, c.id)
end
vim.lsp.stop_client(ids)
vim.wait(5000, function()
  return #all_clients() == 0
end, 20)
vim.cmd(ok and "qall!" or "cquit 1")
