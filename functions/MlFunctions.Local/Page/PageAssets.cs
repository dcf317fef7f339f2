namespace MlFunctions.Local.Page;

/// <summary>The page's fixed parts: its style, the forms and the script that sends them. Inline, so the page works offline.</summary>
internal static class PageAssets
{
    public const string Head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>MlFunctions</title>
        <style>
        body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
        table { border-collapse: collapse; margin: .5em 0 1em; width: 100%; }
        th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
        code { font-size: 12px; } .muted { color: #777; font-weight: normal; font-size: 13px; }
        .badge { background: #eef; border-radius: 4px; padding: 1px 6px; font-size: 12px; }
        .forms { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1em; }
        form { border: 1px solid #ddd; border-radius: 6px; padding: .8em; } form h3 { margin-top: 0; }
        textarea { width: 100%; font-family: monospace; } img#resize-result { max-width: 100%; display: block; margin-top: .5em; }
        pre { background: #f7f7f7; padding: .5em; max-height: 300px; overflow: auto; } section.model { border-top: 2px solid #eee; margin-top: 1.5em; }
        </style></head><body>
        """;

    public const string Forms = """
        <h2 id="try">Try it</h2><div class="forms">
        <form id="resize-form"><h3>resize</h3>
        <p><input type="file" name="image" accept="image/*" required></p>
        <p>width <input name="width" type="number" value="224" min="1" max="8192" size="5"> height <input name="height" type="number" value="224" min="1" max="8192" size="5">
        fit <select name="fit"><option>cover</option><option>contain</option><option>fill</option><option>pad</option></select></p>
        <button>Resize</button><p id="resize-info" class="muted"></p><img id="resize-result" alt=""></form>
        <form id="tensor-form"><h3>tensor</h3>
        <p><input type="file" name="image" accept="image/*" required></p>
        <p>preset <select name="preset"><option>imagenet</option><option>clip</option></select> size <input name="size" type="number" value="224" min="1" max="2048" size="5"></p>
        <button>Make a tensor</button><p id="tensor-shape" class="muted"></p></form>
        <form id="predict-form"><h3>predict</h3>
        <p>model <input name="model" value="penguins" size="20"> <label><input type="checkbox" name="explain"> explain</label></p>
        <textarea name="records" rows="6">[{"Island": "Biscoe", "Beak Length (mm)": 46.1, "Beak Depth (mm)": 13.2, "Flipper Length (mm)": 211, "Body Mass (g)": 4500, "Sex": "FEMALE"}]</textarea>
        <button>Predict</button><pre id="predict-result"></pre></form>
        </div>
        """;

    public const string Script = """
        <script>
        const problem = async r => { try { const p = await r.json(); return p.detail || p.title || r.statusText; } catch { return r.statusText; } };
        const image = f => ({ method: 'POST', body: f.image.files[0], headers: { 'Content-Type': f.image.files[0].type || 'application/octet-stream' } });
        document.getElementById('resize-form').addEventListener('submit', async e => {
          e.preventDefault(); const f = e.target, info = document.getElementById('resize-info'), img = document.getElementById('resize-result');
          info.textContent = 'resizing...';
          const q = new URLSearchParams({ width: f.width.value, height: f.height.value, fit: f.fit.value });
          const r = await fetch('/api/resize?' + q, image(f));
          if (!r.ok) { info.textContent = await problem(r); return; }
          const blob = await r.blob();
          img.onload = () => { info.textContent = img.naturalWidth + 'x' + img.naturalHeight + ', ' + blob.size + ' bytes of ' + blob.type; img.dataset.done = '1'; };
          img.src = URL.createObjectURL(blob);
        });
        document.getElementById('tensor-form').addEventListener('submit', async e => {
          e.preventDefault(); const f = e.target, out = document.getElementById('tensor-shape');
          const q = new URLSearchParams({ width: f.size.value, height: f.size.value, preset: f.preset.value });
          const r = await fetch('/api/tensor?' + q, image(f));
          out.textContent = r.ok ? 'shape ' + r.headers.get('X-Tensor-Shape') + ', ' + (await r.arrayBuffer()).byteLength + ' bytes' : await problem(r);
        });
        document.getElementById('predict-form').addEventListener('submit', async e => {
          e.preventDefault(); const f = e.target, out = document.getElementById('predict-result');
          let records; try { records = JSON.parse(f.records.value); } catch (x) { out.textContent = 'The records are not JSON: ' + x.message; return; }
          const r = await fetch('/api/predict/' + encodeURIComponent(f.model.value) + (f.explain.checked ? '?explain=true' : ''),
            { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ records, topK: 3 }) });
          out.textContent = r.ok ? JSON.stringify(await r.json(), null, 2) : await problem(r);
        });
        </script>
        """;
}
