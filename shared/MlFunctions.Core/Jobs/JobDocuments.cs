using MlFunctions.Core.Models;

namespace MlFunctions.Core.Jobs;

/// <summary>
/// jobs/&lt;model&gt;/&lt;job-id&gt;.json: a validated training upload (or an ML.NET model to convert,
/// <see cref="Import"/>), created once; the retrain job's input.
/// </summary>
public sealed record JobManifest(
    string JobId,
    string Model,
    string Bucket,
    string Source,
    string SourceVersion,
    long Rows,
    ModelSpec Spec,
    DateTimeOffset CreatedAt,
    string? SourceETag = null,
    ImportJob? Import = null);

/// <summary>An ML.NET model.zip import (the job's source) for the Trainer to convert: its manifest's key, and its sample rows' when given.</summary>
public sealed record ImportJob(string Manifest, string? Samples);

/// <summary>jobs/&lt;model&gt;/&lt;job-id&gt;.status.json: where a job is, and for a finished one, the decision and why.</summary>
public sealed record JobStatus
{
    public required string JobId { get; init; }

    public required string Model { get; init; }

    /// <summary>One of <see cref="JobStates"/>.</summary>
    public required string State { get; init; }

    public required string Source { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Why the job is in this state: the validation failure, the promotion decision or the error.</summary>
    public string? Reason { get; init; }

    /// <summary>For a failed or rejected job, the problem type (a stable URI) behind <see cref="Reason"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>The readable validation report of the uploaded CSV.</summary>
    public string? Report { get; init; }

    /// <summary>The metric promotion compares, and the margin the challenger must beat the champion by.</summary>
    public string? Metric { get; init; }

    public double? Margin { get; init; }

    public ModelScore? Challenger { get; init; }

    public ModelScore? Champion { get; init; }

    /// <summary>The champion pointer's number when the job compared against it: an approval promotes only while it is still the same.</summary>
    public long? ChampionSequence { get; init; }

    /// <summary>While the job runs: the worker's latest progress line (such as images featurised and seconds left), renewed with each heartbeat.</summary>
    public string? Progress { get; init; }

    /// <summary>The process working on a running job, and when it last said so (to tell a stale job from a live one).</summary>
    public string? Worker { get; init; }

    public IReadOnlyList<StateChange> History { get; init; } = [];

    /// <summary>This status moved to <paramref name="state"/>, with the change recorded in the history.</summary>
    public JobStatus Next(string state, DateTimeOffset at, string? reason = null) => this with
    {
        State = state, UpdatedAt = at, Reason = reason ?? Reason, History = [.. History, new StateChange(state, at)],
    };
}

/// <summary>A model's version and its metrics on the job's holdout rows.</summary>
/// <remarks><paramref name="Evaluation"/>: its metrics on the spec's fixed evaluation set, when it names one.</remarks>
public sealed record ModelScore(string Version, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, double>? Evaluation = null);

public sealed record StateChange(string State, DateTimeOffset At);

/// <summary>The states of a training job.</summary>
public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    /// <summary>Trained, better than the champion, and promoted.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>Trained and kept as a version, but not better than the champion (or another job promoted first).</summary>
    public const string NotPromoted = "not promoted";
    /// <summary>The upload failed validation: no job was created.</summary>
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    /// <summary>Trained and through the gates; the spec asks for a person's approval before it is promoted.</summary>
    public const string AwaitingApproval = "awaiting approval";

    public static bool IsFinished(string state) => state is Succeeded or NotPromoted or Rejected or Failed or AwaitingApproval;
}
