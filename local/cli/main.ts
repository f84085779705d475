console.log('lakepipe CLI: not wired yet');
