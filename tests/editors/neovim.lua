-- Neovim's built-in LSP client attached to `qmlc lsp`: opens a model with a mistake, waits for
-- the diagnostics the server publishes, asks for a hover, types the fix and waits for the
-- diagnostics to clear, and writes what it saw as JSON for the Rust test
-- (tests/it/neovim.rs) to check. Works with Neovim 0.7 and later, headless, without any plugin.
--
-- Inputs come from the environment: QMLC_BIN (the binary), QMLC_MODEL (the file to open) and
-- QMLC_OUT (where to write the JSON).
local out_path = os.getenv('QMLC_OUT')
local result = { diagnostics = {}, hover = nil, fixed = false, problems = {} }

local function finish()
  local file = io.open(out_path, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qall!')
end

local ok, problem = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('QMLC_MODEL')))
  local buffer = vim.api.nvim_get_current_buf()
  vim.bo[buffer].filetype = 'qmlc'
  local client_id = vim.lsp.start_client({
    name = 'qmlc',
    cmd = { os.getenv('QMLC_BIN'), 'lsp' },
    root_dir = vim.fn.fnamemodify(os.getenv('QMLC_MODEL'), ':h'),
  })
  if not client_id then
    table.insert(result.problems, 'the client did not start')
    return
  end
  vim.lsp.buf_attach_client(buffer, client_id)

  -- The server publishes diagnostics after didOpen; Neovim stores them per buffer.
  local published = vim.wait(30000, function()
    return #vim.diagnostic.get(buffer) > 0
  end, 20)
  if not published then
    table.insert(result.problems, 'no diagnostics within 30 s')
  end
  for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
    table.insert(result.diagnostics, {
      line = diagnostic.lnum,
      column = diagnostic.col,
      end_line = diagnostic.end_lnum,
      end_column = diagnostic.end_col,
      code = diagnostic.code,
      message = diagnostic.message,
      severity = diagnostic.severity,
      source = diagnostic.source,
    })
  end

  -- A hover on the first `ry` of the file (line and column are 0-based in the protocol).
  local lines = vim.api.nvim_buf_get_lines(buffer, 0, -1, false)
  for index, text in ipairs(lines) do
    local column = text:find('ry%(')
    if column then
      local params = {
        textDocument = { uri = vim.uri_from_bufnr(buffer) },
        position = { line = index - 1, character = column - 1 },
      }
      local responses = vim.lsp.buf_request_sync(buffer, 'textDocument/hover', params, 30000)
      for _, response in pairs(responses or {}) do
        if response.result then
          result.hover = response.result.contents
        elseif response.err then
          table.insert(result.problems, 'hover failed: ' .. vim.inspect(response.err))
        end
      end
      break
    end
  end

  -- Typing the fix: `cnto` becomes `cnot`, Neovim sends the change, and the server's next
  -- diagnostics are none.
  for index, text in ipairs(lines) do
    local column = text:find('cnto')
    if column then
      vim.api.nvim_buf_set_text(buffer, index - 1, column - 1, index - 1, column + 3, { 'cnot' })
      result.fixed = vim.wait(30000, function()
        return #vim.diagnostic.get(buffer) == 0
      end, 20)
      break
    end
  end

  local client = vim.lsp.get_client_by_id(client_id)
  client.stop()
  vim.wait(5000, function()
    return client.is_stopped()
  end, 20)
end)
if not ok then
  table.insert(result.problems, tostring(problem))
end
finish()
