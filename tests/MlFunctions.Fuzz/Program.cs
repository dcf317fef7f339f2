using System.Diagnostics;
using System.Globalization;
using MlFunctions.Fuzz;
using MlFunctions.Testing;

// The fuzz program: real inputs mutated (truncation, bit flips, overwritten headers, huge declared
// sizes, deep or huge JSON, wrong types) and fed to every function and event parser. It prints, per
// target, the cases run and how many were answered, refused (4xx), 5xx, crashes and hangs, and keeps
// every input that gave a 5xx, a crash or a hang under artifacts/fuzz/ to become a regression test.
// usage: dotnet run -c Release --project tests/MlFunctions.Fuzz -- [cases per target, 100000] [seed, 2026] [target...]
//        dotnet run -c Release --project tests/MlFunctions.Fuzz -- semantic [cases per target] [seed] [target...]
//        (requests generated from each function's schema with hostile values: see SemanticRun)
var semantic = args.Length > 0 && args[0] == "semantic";
args = semantic ? args[1..] : args;
var cases = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2026;
var only = args.Skip(2).ToHashSet(StringComparer.Ordinal);
var hangAfter = TimeSpan.FromSeconds(10);
// MLF_FUZZ_TRACE=1: one worker, and each case's index on stderr before it runs, to find a case that kills the process.
var trace = Environment.GetEnvironmentVariable("MLF_FUZZ_TRACE") == "1";
var bucket = Directory.CreateTempSubdirectory("mlf-fuzz-").FullName;
var findings = Path.Combine(RepoPaths.Artifacts, "fuzz");
var failed = false;
try
{
    if (semantic)
    {
        return await SemanticRun.RunAsync(bucket, cases, seed, only, findings) ? 1 : 0;
    }
    Console.WriteLine($"{cases:N0} cases per target, seed {seed}, {Environment.ProcessorCount} workers; a case over {hangAfter.TotalSeconds:F0} s is a hang");
    Console.WriteLine($"{"target",-24}{"cases",10}{"answered",10}{"refused",10}{"5xx",6}{"crashes",9}{"hangs",7}{"seconds",9}");
    foreach (var target in (await Targets.CreateAsync(bucket)).Where(t => only.Count == 0 || only.Contains(t.Name)))
    {
        var counts = new int[4];
        var hangs = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, cases, new ParallelOptions { MaxDegreeOfParallelism = trace ? 1 : Environment.ProcessorCount }, async (i, _) =>
        {
            // One mutator per case, seeded by the run's seed, the target and the index (not HashCode, which
            // varies by process): a case is the same in every run, however the workers share them.
            var mutator = new Mutator(unchecked((seed * 1_000_003) + (i * 31) + target.Name.Aggregate(17, (h, c) => (h * 31) + c)));
            var source = target.Seeds[i % target.Seeds.Length];
            var input = target.Json ? mutator.Json(source) : mutator.Bytes(source);
            if (trace)
            {
                File.WriteAllBytes(Path.Combine(Path.GetTempPath(), $"mlf-fuzz-{target.Name}-current.bin"), input);
                Console.Error.WriteLine(i);
            }
            Verdict verdict;
            string? fault;
            try
            {
                (verdict, fault) = await Task.Run(() => target.Run(input)).WaitAsync(hangAfter).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref hangs);
                Keep(findings, target.Name, "hang", i, input);
                return;
            }
            catch (Exception e)
            {
                Keep(findings, target.Name, "crash", i, input, e.ToString());
                (verdict, fault) = (Verdict.Crash, null);
            }
            if (verdict == Verdict.ServerError)
            {
                Keep(findings, target.Name, "5xx", i, input, fault);
            }
            Interlocked.Increment(ref counts[(int)verdict]);
        });
        var bad = counts[(int)Verdict.ServerError] + counts[(int)Verdict.Crash] + hangs;
        failed |= bad > 0;
        Console.WriteLine($"{target.Name,-24}{cases,10:N0}{counts[0],10:N0}{counts[1],10:N0}{counts[2],6:N0}{counts[3],9:N0}{hangs,7:N0}{clock.Elapsed.TotalSeconds,9:F1}");
    }
    Console.WriteLine(failed ? $"Findings kept in {findings}" : "No crash, no 5xx, no hang.");
    return failed ? 1 : 0;
}
finally
{
    Directory.Delete(bucket, recursive: true);
}

static void Keep(string folder, string target, string kind, int index, byte[] input, string? detail = null)
{
    var directory = Directory.CreateDirectory(Path.Combine(folder, target));
    if (directory.GetFiles().Length >= 40)
    {
        return;
    }
    File.WriteAllBytes(Path.Combine(directory.FullName, $"{kind}-{index}.bin"), input);
    if (detail is not null)
    {
        File.WriteAllText(Path.Combine(directory.FullName, $"{kind}-{index}.txt"), detail);
    }
}
