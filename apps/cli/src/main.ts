console.log('penguin')
