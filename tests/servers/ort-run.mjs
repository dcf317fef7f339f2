// Runs an ONNX graph with onnxruntime-node, an independent runner for the parity tests:
//   node ort-run.mjs MODEL INPUT_NAME OUTPUT_NAME SHAPE(1,3,224,224) INPUT.f32 OUTPUT.f32
// INPUT.f32 holds little-endian float32 values; the output's values are written the same way.
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [model, inputName, outputName, shapeText, inputPath, outputPath] = process.argv.slice(2);
const bytes = readFileSync(inputPath);
const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'extended', intraOpNumThreads: 1 });
const shape = shapeText.split(',').map(Number);
const results = await session.run({ [inputName]: new ort.Tensor('float32', data, shape) }, [outputName]);
const output = results[outputName];
writeFileSync(outputPath, Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));
console.log(JSON.stringify({ runtime: 'onnxruntime-node', dims: output.dims }));
