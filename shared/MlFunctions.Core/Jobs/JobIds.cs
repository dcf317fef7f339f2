using System.Security.Cryptography;
using System.Text;

namespace MlFunctions.Core.Jobs;

/// <summary>
/// A job id is derived from the upload, never drawn at random: the same bucket, key and ETag (or
/// generation) give the same id, so a redelivered event finds the job it already created.
/// </summary>
public static class JobIds
{
    public static string For(string bucket, string key, string version) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{bucket}\n{key}\n{version}")))[..20];
}
