import { readFileSync, writeFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { initSync, Table, writeParquet, WriterPropertiesBuilder, Compression } from 'parquet-wasm/esm';
initSync({ module: readFileSync(new URL('./node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm', import.meta.url)) });
const lines = readFileSync(process.argv[2], 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(',');
const rows = lines.slice(1).map(l => l.split(','));
const missing = v => v === undefined || v === '' || v === 'NA' || v === '.';
const cols = {};
header.forEach((h, i) => {
  const values = rows.map(r => r[i]);
  const numeric = values.every(v => missing(v) || !isNaN(Number(v)));
  cols[h] = numeric
    ? arrow.vectorFromArray(values.map(v => missing(v) ? null : Number(v)), new arrow.Float64())
    : arrow.vectorFromArray(values.map(v => missing(v) ? null : v), new arrow.Utf8());
});
// Body Mass as a nullable integer column, as pandas writes Int64.
cols['Body Mass (g)'] = arrow.vectorFromArray(rows.map(r => missing(r[5]) ? null : Number(r[5])), new arrow.Int32());
const table = arrow.tableFromArrays ? new arrow.Table(cols) : null;
const ipc = arrow.tableToIPC(table, 'stream');
const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(128).build();
writeFileSync(process.argv[3], writeParquet(Table.fromIPCStream(ipc), props));
console.log(`${rows.length} rows, ${header.length} columns -> ${process.argv[3]}`);
