<#
.SYNOPSIS
    Build tasks for LeadTools on machines with pwsh: Clean, Build, Test, Package.
.DESCRIPTION
    Build lays the module out as users install it (out/LeadTools/<version>/); 'dotnet build' does the same on
    machines without pwsh. Test runs the xUnit projects (which also run tests/pester/*.Tests.ps1 through the
    bundled runner) and, when Pester 5 is installed, Invoke-Pester on the same files against the built module.
    Package zips the laid-out module into out/LeadTools-<version>.zip.
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$version = (Import-PowerShellDataFile "$root/LeadTools.psd1").ModuleVersion
$moduleDir = Join-Path $root "out/LeadTools/$version"

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Clean' {
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
        Invoke-Dotnet clean "$root/LeadTools.sln" -c $Configuration --nologo -v quiet
    }
    'Build' {
        Invoke-Dotnet build "$root/LeadTools.sln" -c $Configuration --nologo
        Write-Host "Module laid out in $moduleDir"
    }
    'Test' {
        Invoke-Dotnet test "$root/LeadTools.sln" -c $Configuration --nologo
        if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0') {
            $env:LEADTOOLS_MODULE = Join-Path $moduleDir 'LeadTools.psd1'
            $result = Invoke-Pester -Path (Join-Path $root 'tests/pester') -PassThru -Output Detailed
            if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
        }
    }
    'Package' {
        if (-not (Test-Path $moduleDir)) { throw "Build first: $moduleDir does not exist." }
        $zip = Join-Path $root "out/LeadTools-$version.zip"
        Compress-Archive -Path $moduleDir -DestinationPath $zip -Force
        Write-Host "Packaged $zip"
    }
}
