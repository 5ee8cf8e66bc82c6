// Placeholder for commands whose issues have not landed yet; exits non-zero so nothing mistakes it for work done.
console.error(`npm run ${process.argv[2]}: not yet — see the open issues.`);
process.exit(1);
