using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace LeadTools.Core.State
{
    /// <summary>
    /// Where durable state lives (key store, merge journal, sync state): the path given, else
    /// <c>$env:LEADTOOLS_STATE</c>, else the user's local application data folder (<c>~/.local/share/LeadTools</c>,
    /// <c>%LOCALAPPDATA%\LeadTools</c>).
    /// </summary>
    public static class StateFolder
    {
        /// <summary>The environment variable that sets the state folder.</summary>
        public const string EnvironmentVariable = "LEADTOOLS_STATE";

        /// <summary>The state folder to use.</summary>
        public static string Resolve(string? given)
        {
            if (!string.IsNullOrWhiteSpace(given)) return Path.GetFullPath(given);
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(local)) local = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(local, "LeadTools");
        }
    }

    /// <summary>Thrown when another run holds the state lock.</summary>
    public sealed class StateLockedException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public StateLockedException(string message) : base(message) { }
    }

    /// <summary>
    /// An exclusive lock on one piece of state, held for a whole run, so two runs cannot interleave their writes.
    /// The operating system releases it when the process ends, so a killed run never leaves a stale lock.
    /// </summary>
    public sealed class StateLock : IDisposable
    {
        private FileStream? _lock;

        private StateLock(FileStream stream) => _lock = stream;

        /// <summary>Takes the lock named <paramref name="name"/> in <paramref name="folder"/>; throws <see cref="StateLockedException"/> naming the holder when taken.</summary>
        public static StateLock Acquire(string folder, string name)
        {
            Directory.CreateDirectory(folder);
            var lockPath = Path.Combine(folder, name + ".lock");
            var ownerPath = lockPath + ".owner";
            FileStream stream;
            try
            {
                stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                var owner = File.Exists(ownerPath) ? SafeRead(ownerPath) : "another process";
                throw new StateLockedException($"The {name} in {folder} is in use by another LeadTools run ({owner}). Wait for it to finish and run again; the state was not changed.");
            }
            var me = Process.GetCurrentProcess();
            File.WriteAllText(ownerPath, $"process {me.Id} since {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC", Encoding.UTF8);
            return new StateLock(stream);
        }

        private static string SafeRead(string path)
        {
            try
            {
                return File.ReadAllText(path).Trim();
            }
            catch (IOException)
            {
                return "another process";
            }
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose()
        {
            _lock?.Dispose();
            _lock = null;
        }
    }
}
