/* MathJax stub: pactnet figures use no TeX; this file keeps kaleido from loading MathJax from a CDN. */
