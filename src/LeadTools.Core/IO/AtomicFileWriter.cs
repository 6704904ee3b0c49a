using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LeadTools.Core.IO
{
    /// <summary>What to do when the destination file already exists.</summary>
    public enum ExistingFile
    {
        /// <summary>Replace it (a read-only file is refused).</summary>
        Overwrite,
        /// <summary>Replace it even when it is read-only.</summary>
        OverwriteReadOnly,
        /// <summary>Refuse: the file is left as it is.</summary>
        Fail,
    }

    /// <summary>
    /// Writes a file atomically: everything goes to a temporary file in the same folder, which replaces the
    /// destination by a rename only on <see cref="Commit"/>. A failed, cancelled or killed write leaves the
    /// old file (or none), never a half-written one.
    /// </summary>
    public sealed class AtomicFileWriter : IDisposable
    {
        private readonly ExistingFile _existing;
        private FileStream? _stream;
        private bool _committed;

        /// <summary>Opens the temporary file for <paramref name="path"/>; checks up front that the destination may be written.</summary>
        public AtomicFileWriter(string path, ExistingFile existing = ExistingFile.Overwrite)
        {
            Path = System.IO.Path.GetFullPath(path);
            _existing = existing;
            var folder = System.IO.Path.GetDirectoryName(Path) ?? ".";
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
            CheckDestination();
            RemoveStaleTempFiles(folder);
            TempPath = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        }

        /// <summary>The destination.</summary>
        public string Path { get; }

        /// <summary>The temporary file written until <see cref="Commit"/>.</summary>
        public string TempPath { get; }

        /// <summary>The stream to write to.</summary>
        public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(AtomicFileWriter));

        /// <summary>
        /// Flushes to disk, renames the temporary file over the destination and, on Unix, flushes the folder too, so
        /// the rename itself survives a power loss (the order of two saves is then the order on disk).
        /// </summary>
        public void Commit()
        {
            if (_stream == null) throw new ObjectDisposedException(nameof(AtomicFileWriter));
            _stream.Flush(true);
            // On Unix the temporary file stays open (and so locked against the stale-file cleanup of another writer)
            // until it has its final name; Windows cannot rename an open file.
            if (IsWindows) CloseStream();
            try
            {
                CheckDestination();
                if (File.Exists(Path))
                {
                    if (_existing == ExistingFile.OverwriteReadOnly)
                    {
                        var attributes = File.GetAttributes(Path);
                        if ((attributes & FileAttributes.ReadOnly) != 0) File.SetAttributes(Path, attributes & ~FileAttributes.ReadOnly);
                    }
                    File.Replace(TempPath, Path, null);
                }
                else
                {
                    File.Move(TempPath, Path);
                }
                _committed = true;
            }
            finally
            {
                CloseStream();
            }
            SyncDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
        }

        private void CloseStream()
        {
            _stream?.Dispose();
            _stream = null;
        }

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // ------------------------------------------------------------------ folder durability

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int SysOpen(string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        private static extern int SysFsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int SysClose(int fd);

        /// <summary>How many folder flushes succeeded in this process (for tests).</summary>
        internal static int DirectorySyncCount;

        /// <summary>
        /// Flushes a folder's entries to disk (Unix: <c>open(O_RDONLY)</c> + <c>fsync</c>), so a rename into it is durable.
        /// Windows has no such call (NTFS journals renames); file systems that cannot flush a folder (EINVAL) are skipped.
        /// Returns true when the folder was flushed; an I/O error while flushing is thrown.
        /// </summary>
        public static bool SyncDirectory(string folder)
        {
            if (IsWindows) return false;
            int fd;
            try
            {
                fd = SysOpen(folder, 0);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return false;
            }
            if (fd < 0) return false;
            try
            {
                if (SysFsync(fd) != 0)
                {
                    var errno = Marshal.GetLastWin32Error();
                    const int EIO = 5;
                    if (errno == EIO) throw new IOException($"The folder '{folder}' could not be flushed to disk (I/O error); the last save may not survive a power loss.");
                    return false; // EINVAL / ENOTSUP / EBADF: the file system does not flush folders.
                }
                System.Threading.Interlocked.Increment(ref DirectorySyncCount);
                return true;
            }
            finally
            {
                SysClose(fd);
            }
        }

        // ------------------------------------------------------------------ stale temporary files

        private static readonly Regex TempName = new Regex(@"^\..+\.[0-9a-f]{12}\.tmp$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Removes the temporary files (<c>.&lt;name&gt;.&lt;id&gt;.tmp</c>) that killed writers left in <paramref name="folder"/>.
        /// A temporary file is stale when nobody holds it open: a live writer keeps its temporary file open (locked)
        /// until it is renamed, so it is never touched; the operating system drops a killed writer's lock with the process.
        /// Returns how many were removed.
        /// </summary>
        public static int RemoveStaleTempFiles(string folder)
        {
            string[] candidates;
            try
            {
                candidates = Directory.GetFiles(folder, ".*.tmp");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return 0;
            }
            var removed = 0;
            foreach (var candidate in candidates)
            {
                if (!TempName.IsMatch(System.IO.Path.GetFileName(candidate))) continue;
                try
                {
                    // Exclusive open fails while a writer holds the file (a lock on Unix, a sharing violation on Windows).
                    using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                    {
                    }
                    removed++;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // In use, gone already, or not ours to remove: leave it.
                }
            }
            return removed;
        }

        /// <summary>Discards the temporary file unless committed.</summary>
        public void Dispose()
        {
            _stream?.Dispose();
            _stream = null;
            if (!_committed)
            {
                try
                {
                    File.Delete(TempPath);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        private void CheckDestination()
        {
            if (Directory.Exists(Path)) throw new IOException($"'{Path}' is a folder.");
            if (!File.Exists(Path)) return;
            if (_existing == ExistingFile.Fail) throw new IOException($"The file '{Path}' already exists.");
            if (_existing == ExistingFile.Overwrite && (File.GetAttributes(Path) & FileAttributes.ReadOnly) != 0)
            {
                throw new UnauthorizedAccessException($"The file '{Path}' is read-only; use -Force to replace it.");
            }
        }
    }
}
